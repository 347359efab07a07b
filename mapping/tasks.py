"""The mapping app's background tasks: a large CSV import of indicator values, whose result
is e-mailed to the person who confirmed it."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from core.mail import absolute_url, recipient_language, render_email, send_after_commit

from . import services
from .importing import ImportRow

logger = logging.getLogger(__name__)


@app.task(queue="imports")
def import_indicator_values(*, rows: list[list], user_id: int) -> bool:
    """Import the checked rows as the user who confirmed them and e-mail that person the
    counts, or, when the data changed since the preview, that nothing was imported and why;
    True when the values were stored."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning("import of %s rows dropped: user %s is gone", len(rows), user_id)
        return False
    checked = [ImportRow.from_list(item) for item in rows]
    with translation.override(recipient_language(user.language)):
        context = {"user": user, "url": absolute_url(reverse("mapping:import"))}
    try:
        # The e-mail is queued in the import's transaction: it leaves only with the values.
        with transaction.atomic():
            outcome = services.indicator_values_import(rows=checked, by=user)
            with translation.override(recipient_language(user.language)):
                context["summary"] = ngettext(
                    "Imported %(count)s value: %(created)s new, %(changed)s changed, "
                    "%(unchanged)s unchanged.",
                    "Imported %(count)s values: %(created)s new, %(changed)s changed, "
                    "%(unchanged)s unchanged.",
                    outcome.total,
                ) % {**vars(outcome), "count": outcome.total}
            _send(user, "mapping/email/import_done", context)
    except (PermissionDenied, IntegrityError):
        with translation.override(recipient_language(user.language)):
            context["reason"] = _("The data changed since the preview; upload the file again.")
        _send(user, "mapping/email/import_failed", context)
        return False
    return True


def _send(user, template: str, context: dict) -> None:
    message = render_email(template, context, to=user.email, language=user.language)
    send_after_commit([message])
