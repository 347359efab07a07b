"""What the page frame shows the secretariat: the work waiting for it."""

from django.utils.functional import SimpleLazyObject

from accounts.permissions import is_secretariat

from . import figures


def secretariat(request):
    """`waiting`: practices and applications waiting for the secretariat (counted only when
    the header shows them, that is for the secretariat), else None."""
    user = getattr(request, "user", None)

    def waiting():
        return figures.waiting_for_secretariat(user) if is_secretariat(user) else None

    return {"waiting": SimpleLazyObject(waiting)}
