"""E-mail helpers every app's services use: written in the recipient's language, with full
links, sent only once the data they announce is saved. No domain imports."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def recipient_language(code: str | None) -> str:
    """`code` when the portal speaks it, else the default language."""
    known = {code for code, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A full link for an e-mail (there is no request to read the host from)."""
    return f"{settings.PORTAL_URL}{path}"


def render_email(
    template: str, context: dict, *, to: str, language: str | None, body: str = ""
) -> EmailMessage:
    """Render `<template>_subject.txt` and `<template>.txt` (or the template `body`) in the
    recipient's language; the subject gets the portal's prefix and is folded onto one line."""
    with translation.override(recipient_language(language)):
        subject = render_to_string(f"{template}_subject.txt", context)
        subject = f"[{_('UTDS Mercociudades')}] {' '.join(subject.split())}"
        body = render_to_string(body or f"{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[to])


def send_after_commit(messages: list[EmailMessage]) -> None:
    """Send once the data is saved; a mail server failure is logged, never undoes the write."""

    def send():
        with get_connection() as connection:
            connection.send_messages(messages)

    if messages:
        transaction.on_commit(send, robust=True)
