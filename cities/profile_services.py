"""Writes of the city profile page (summary, website and focal points).

Kept apart from `services.py` (membership and invitations) so the two can grow separately.
"""

from django.db import transaction
from django.utils import timezone

from .models import City

# Changing any of these means someone has just checked the contact.
CONTACT_FIELDS = {"name", "position", "email", "phone"}


@transaction.atomic
def city_profile_update(*, city: City, form, formset, confirm_all: bool) -> City:
    """Save a valid profile form and focal-point formset together, or nothing at all.

    - Deleted contacts go first, then contacts that are not primary, then the primary one,
      so that moving "primary" from one contact to another never trips the database
      constraint `cities_focalpoint_one_primary` halfway through.
    - A contact whose name, position, e-mail or phone changed, and whose date was left as
      it was, counts as confirmed today.
    - `confirm_all` ("these contacts are still correct") marks every remaining contact of
      the city as confirmed today, changed or not.
    """
    today = timezone.localdate()
    city = form.save()
    contacts = formset.save(commit=False)
    for contact in formset.deleted_objects:
        contact.delete()
    changed = {id(form.instance): set(form.changed_data) for form in formset.forms}
    for contact in sorted(contacts, key=lambda c: c.is_primary):
        fields = changed.get(id(contact), set())
        if fields & CONTACT_FIELDS and "last_confirmed_on" not in fields:
            contact.last_confirmed_on = today
        contact.city = city
        contact.save()
    if confirm_all:
        city.focal_points.update(last_confirmed_on=today)
    return city
