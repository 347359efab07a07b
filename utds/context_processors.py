from django.conf import settings


def portal(request):
    """What the page frame needs on every page: the unit's contact and the languages."""
    return {
        "contact_email": settings.CONTACT_EMAIL,
    }
