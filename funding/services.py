"""Every write to the cities' interest in funding calls: atomic, keyword-only,
permission-checked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import FundingInterest


@transaction.atomic
def funding_interest_mark(*, call, city, user, note: str = "") -> FundingInterest:
    """Record (or update the note of) `city`'s interest in `call`; 403 unless the user may
    act for the city; a closed call takes no new interest."""
    if not permissions.can_mark_funding_interest(user, city):
        raise PermissionDenied
    existing = FundingInterest.objects.select_for_update().filter(call=call, city=city).first()
    if existing is not None:
        existing.note = note
        existing.save(update_fields=["note"])
        return existing
    if call.status == call.Status.CLOSED:
        raise ValidationError(_("This call is closed."))
    return FundingInterest.objects.create(call=call, city=city, marked_by=user, note=note)


@transaction.atomic
def funding_interest_withdraw(*, call, city, user) -> bool:
    """Remove `city`'s interest in `call`; 403 unless the user may act for the city.
    Returns whether there was an interest to remove."""
    if not permissions.can_mark_funding_interest(user, city):
        raise PermissionDenied
    deleted, _rows = FundingInterest.objects.filter(call=call, city=city).delete()
    return bool(deleted)
