"""Values every page frame reads: the portal's origin and languages."""

from django.conf import settings
from django.core.exceptions import DisallowedHost


def portal(request):
    """What the page frame needs on every page: the unit's contact and this site's origin
    (for the canonical and alternate links)."""
    return {
        "contact_email": settings.CONTACT_EMAIL,
        "site_origin": site_origin(request),
    }


def site_origin(request) -> str:
    """`scheme://host` of the request; PORTAL_URL when the Host header is not one we serve
    (the 400 page answering such a request must not fail on it in turn)."""
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return settings.PORTAL_URL
