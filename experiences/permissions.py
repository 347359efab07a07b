"""Who may see or change what about practices. Views and templates ask these functions.

Drafts, practices in review and archived ones answer 404 to whoever may not see them;
a visible practice the user may only read answers 403 to an edit.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat
from cities.models import City
from cities.permissions import can_see_contacts, coordinated_city_ids

from .models import CityPublishingRight, Practice, PracticeAttachment

Status = Practice.Status


def _coordinates(user, city_id) -> bool:
    return city_id in coordinated_city_ids(user)


def city_can_self_publish(city) -> bool:
    """True when the secretariat lets this city publish without review (one query, none
    when the city came with select_related("city__publishing_right"))."""
    try:
        return city.publishing_right.can_self_publish
    except CityPublishingRight.DoesNotExist:
        return False


def creatable_cities(user):
    """The cities the user may create a practice for."""
    # the secretariat writes for any city (e.g. on a city's behalf)
    if is_secretariat(user):
        return City.objects.all()
    # a coordinator only for the cities they coordinate
    return City.objects.filter(pk__in=coordinated_city_ids(user))


def can_create_practice(user) -> bool:
    """Coordinators and the secretariat write practices; nobody else."""
    # the secretariat may do everything
    if is_secretariat(user):
        return True
    # a coordinator needs at least one city
    return bool(coordinated_city_ids(user))


def can_create_practice_for(user, city) -> bool:
    """A practice belongs to a city the user coordinates (or the secretariat writes it)."""
    # the secretariat may create for any city
    if is_secretariat(user):
        return True
    # a coordinator only for their own cities
    return city is not None and _coordinates(user, city.pk)


def can_view_practice(user, practice) -> bool:
    """Mirror of Practice.objects.visible_to(user) for one object already loaded."""
    # published practices are public
    if practice.status == Status.PUBLISHED:
        return True
    # the secretariat sees every state
    if is_secretariat(user):
        return True
    # the city's coordinators see their drafts, reviews and archive
    return _coordinates(user, practice.city_id)


def can_edit_practice(user, practice) -> bool:
    """Change the text, vocabularies and attachments."""
    # the secretariat may edit every practice, archived ones included
    if is_secretariat(user):
        return True
    # an archived practice is closed to its city; the secretariat restores it
    if practice.status == Status.ARCHIVED:
        return False
    # a coordinator edits their cities' practices, and only those
    return _coordinates(user, practice.city_id)


def can_submit_practice(user, practice) -> bool:
    """Send a draft to the secretariat's review."""
    # only drafts go to review, sent by someone who may edit them
    return practice.status == Status.DRAFT and can_edit_practice(user, practice)


def can_publish_practice(user, practice) -> bool:
    """Make a draft or a practice in review public."""
    if practice.status not in (Status.DRAFT, Status.IN_REVIEW):
        return False
    # the secretariat publishes after review (or directly)
    if is_secretariat(user):
        return True
    # a coordinator of a city allowed to publish without review publishes its drafts
    return (
        practice.status == Status.DRAFT
        and _coordinates(user, practice.city_id)
        and city_can_self_publish(practice.city)
    )


def can_publish_for_city(user, city) -> bool:
    """Publish a new or edited practice of this city straight from the form."""
    # the secretariat publishes for any city
    if is_secretariat(user):
        return True
    # a coordinator, when the secretariat lets the city publish without review
    return city is not None and _coordinates(user, city.pk) and city_can_self_publish(city)


def can_publish_without_review(user) -> bool:
    """Offer the Publish button on a new practice (the chosen city is checked on save)."""
    # the secretariat always may
    if is_secretariat(user):
        return True
    # a coordinator when at least one of their cities may self-publish
    return CityPublishingRight.objects.filter(
        city_id__in=coordinated_city_ids(user), can_self_publish=True
    ).exists()


def can_review_practice(user, practice) -> bool:
    """Publish or send back a practice waiting in review."""
    # the secretariat reviews; only practices in review
    return practice.status == Status.IN_REVIEW and is_secretariat(user)


def edits_need_review(user, practice) -> bool:
    """Changes to this practice wait for the secretariat's approval (a pending revision)."""
    # drafts and practices in review change freely: nothing of them is public
    if practice.status != Status.PUBLISHED:
        return False
    # the secretariat and cities that publish without review change the public text
    return not can_publish_for_city(user, practice.city)


def can_review_revision(user, practice) -> bool:
    """Approve or refuse the changes waiting on a published practice."""
    # the secretariat decides what becomes public
    return practice.status == Status.PUBLISHED and is_secretariat(user)


def can_archive_practice(user, practice) -> bool:
    """Withdraw a practice for good (nothing is deleted)."""
    # already archived
    if practice.status == Status.ARCHIVED:
        return False
    # whoever may edit it may archive it
    return can_edit_practice(user, practice)


def can_unpublish_practice(user, practice) -> bool:
    """Take a published practice back to draft."""
    # the secretariat moderates what is public
    return practice.status == Status.PUBLISHED and is_secretariat(user)


def can_restore_practice(user, practice) -> bool:
    """Bring an archived practice back as a draft."""
    # only the secretariat reopens the archive
    return practice.status == Status.ARCHIVED and is_secretariat(user)


def can_feature_practice(user, practice) -> bool:
    """Put a published practice forward on the list and home page."""
    # the secretariat chooses what is featured
    return practice.status == Status.PUBLISHED and is_secretariat(user)


def can_see_practice_contact(user) -> bool:
    """The practice's contact person is for members of the network only."""
    return can_see_contacts(user)


def practice_actions(user, practice) -> dict:
    """Every answer a practice page needs, as `can_*` names for the template."""
    return {
        "can_edit": can_edit_practice(user, practice),
        "can_submit": can_submit_practice(user, practice),
        "can_publish": can_publish_practice(user, practice),
        "can_review": can_review_practice(user, practice),
        "can_review_revision": can_review_revision(user, practice),
        "edits_need_review": edits_need_review(user, practice),
        "can_archive": can_archive_practice(user, practice),
        "can_unpublish": can_unpublish_practice(user, practice),
        "can_restore": can_restore_practice(user, practice),
        "can_feature": can_feature_practice(user, practice),
        "can_see_contact": can_see_practice_contact(user),
    }


def get_visible_practice(user, slug, queryset=None) -> Practice:
    """The practice with this slug if the user may see it; 404 otherwise (no leaks)."""
    queryset = Practice.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), slug=slug)


def get_editable_practice(user, slug, queryset=None) -> Practice:
    """The visible practice if the user may edit it; 404 when unseen, 403 when read-only."""
    practice = get_visible_practice(user, slug, queryset)
    if not can_edit_practice(user, practice):
        raise PermissionDenied
    return practice


def get_visible_attachment(user, slug, pk) -> PracticeAttachment:
    """An attachment of a practice the user may see; 404 otherwise."""
    practice = get_visible_practice(user, slug)
    return get_object_or_404(PracticeAttachment, practice=practice, pk=pk)
