"""Names kept per language in plain columns (`name_es`, `name_pt_br`, `name_en`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_suffix(language: str | None = None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).lower()
    known = {code for code, _ in settings.LANGUAGES}
    if code not in known:
        code = code.split("-")[0] if code.split("-")[0] in known else settings.LANGUAGE_CODE
    return code.replace("-", "_")


def localized(obj, field: str, language: str | None = None) -> str:
    """The value of `field` in the current language, falling back to Spanish."""
    value = getattr(obj, f"{field}_{language_suffix(language)}", "")
    return value or getattr(obj, f"{field}_{language_suffix(settings.LANGUAGE_CODE)}", "")


class LocalizedNameMixin:
    """`obj.name` (and `obj.description` when present) in the visitor's language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def __str__(self):
        return self.name


class ContentLanguage(models.TextChoices):
    """The language user-written content (practices, documents, news) is written in."""

    ES = "es", _("Spanish")
    PT_BR = "pt-br", _("Portuguese")
    EN = "en", _("English")
