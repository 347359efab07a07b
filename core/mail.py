"""E-mail helpers every app's services use: written in the recipient's language, with full
links, queued as tasks that send them only once the data they announce is saved. No domain
imports."""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import tasks


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


def send_after_commit(messages: list[EmailMessage], *, once_per: str = "") -> list[uuid.UUID]:
    """Queue each message as a mail task of its own (core.tasks.send_mail) in the current
    transaction: it leaves once the data it announces is committed, never for a rolled-back
    write, and a mail server that is down only delays it (the task retries with backoff)
    instead of failing the request.

    Each message gets a key so that it is sent only once: a random one, or with `once_per`
    (a name for one announcement, such as "registration-open:<event>:<time>") one derived
    from it and the recipients, so that a job that queues the same announcement twice
    queues each person's e-mail once. Returns the keys, in the order of `messages` (a
    record of who was sent what can name each e-mail by its key).
    """
    keyed = {}
    for message in messages:
        if once_per:
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"{once_per}\n{','.join(message.to)}")
        else:
            key = uuid.uuid4()
        keyed[key] = message
    if keyed:
        tasks.queue_mails(keyed)
    return list(keyed)
