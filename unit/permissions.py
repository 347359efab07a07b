"""Who may see or change what of the unit's own work. Views and templates ask these.

Everything here is public except members-only library documents (coordinators of a
member city and the secretariat), unpublished news and the messages to the coordinators
(the secretariat). Plans, lines, review notes, documents and news are written by the
secretariat, in the admin; messages to the coordinators on their own pages.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat, roles

from .models import Document, NetworkMessage, NewsItem


def is_member(user) -> bool:
    """True for the secretariat and for anyone who coordinates a city.

    Costs one query the first time per request object; the answer is cached on the user.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_secretariat(user):
        return True
    # the cities come with the user's roles (one query per request, cached on the user)
    return bool(roles(user).coordinated_city_ids)


def can_manage_unit(user) -> bool:
    """Plans, review notes, the library and news are the secretariat's to write."""
    return is_secretariat(user)


def can_read_document(user, document) -> bool:
    """Public documents for all; members-only documents for members of the network."""
    if document.audience == Document.Audience.PUBLIC:
        return True
    return is_member(user)


def get_visible_document(user, slug, queryset=None) -> Document:
    """The document when the user may read it; 404 whether missing or members-only.

    `queryset` (a Document queryset) may carry the joins a page needs; the visibility
    rule is applied to it all the same.
    """
    queryset = Document.objects.with_card_data() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), slug=slug)


def get_visible_news(user, slug, queryset=None) -> NewsItem:
    """The news item when published (or for the secretariat); 404 otherwise.

    `queryset` (a NewsItem queryset) may carry the joins a page needs; the visibility
    rule is applied to it all the same.
    """
    queryset = NewsItem.objects.with_card_data() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), slug=slug)


def can_write_to_network(user) -> bool:
    """Writing to the coordinators, and reading who was sent what, is the secretariat's."""
    return is_secretariat(user)


def check_can_write_to_network(user) -> None:
    """403 for anyone but the secretariat (the views are behind login_required)."""
    if not can_write_to_network(user):
        raise PermissionDenied


def get_message(user, pk: int) -> NetworkMessage:
    """The message for the secretariat; 403 for anyone else, 404 when there is none."""
    check_can_write_to_network(user)
    return get_object_or_404(NetworkMessage.objects.select_related("working_group"), pk=pk)
