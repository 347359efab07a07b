"""Names kept per language in plain columns (`name_es`, `name_pt_br`, `name_en`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The label of each per-language column, written out whole so the catalogues translate
# phrases, not pieces.
COLUMN_LABELS = {
    "name": (_("name (Spanish)"), _("name (Portuguese)"), _("name (English)")),
    "short title": (
        _("short title (Spanish)"),
        _("short title (Portuguese)"),
        _("short title (English)"),
    ),
    "official title": (
        _("official title (Spanish)"),
        _("official title (Portuguese)"),
        _("official title (English)"),
    ),
    "title": (_("title (Spanish)"), _("title (Portuguese)"), _("title (English)")),
    "description": (
        _("description (Spanish)"),
        _("description (Portuguese)"),
        _("description (English)"),
    ),
    "summary": (_("summary (Spanish)"), _("summary (Portuguese)"), _("summary (English)")),
    "subject": (_("subject (Spanish)"), _("subject (Portuguese)"), _("subject (English)")),
    "text": (_("text (Spanish)"), _("text (Portuguese)"), _("text (English)")),
    "definition": (
        _("definition (Spanish)"),
        _("definition (Portuguese)"),
        _("definition (English)"),
    ),
}
COLUMN_LANGUAGES = ("es", "pt-br", "en")


def localized_fields(field_class, label: str, *, optional=(), **options) -> tuple:
    """One text's three columns, for `x_es, x_pt_br, x_en = localized_fields(…)`: Spanish,
    Portuguese and English with `label`'s names; languages in `optional` may stay blank."""
    return tuple(
        field_class(verbose_name, **({**options, "blank": True} if lang in optional else options))
        for lang, verbose_name in zip(COLUMN_LANGUAGES, COLUMN_LABELS[label], strict=True)
    )


def localized_columns(field: str) -> tuple[str, ...]:
    """The names of one text's three columns: `("name_es", "name_pt_br", "name_en")`."""
    return tuple(f"{field}_{lang.replace('-', '_')}" for lang in COLUMN_LANGUAGES)


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


def localized_property(field: str) -> property:
    """A read-only attribute giving `field` in the visitor's language (falling back to
    Spanish): `title = localized_property("title")`."""
    return property(lambda obj: localized(obj, field))


class LocalizedNameMixin:
    """`obj.name` (and `obj.description` when present) in the visitor's language."""

    name = localized_property("name")
    description = localized_property("description")

    def __str__(self):
        return self.name


class ContentLanguage(models.TextChoices):
    """The language user-written content (practices, documents, news) is written in."""

    ES = "es", _("Spanish")
    PT_BR = "pt-br", _("Portuguese")
    EN = "en", _("English")
