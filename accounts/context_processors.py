"""What the page frame shows about the signed-in person."""

from django.utils.functional import SimpleLazyObject

from .permissions import can_use_admin


def account(request):
    """Answers about the visitor that the page frame shows (computed only when used)."""
    user = getattr(request, "user", None)
    return {"can_use_admin": SimpleLazyObject(lambda: can_use_admin(user))}
