"""Who may do what with accounts. Every rule about users lives here."""

from .models import SECRETARIAT_GROUP


def is_secretariat(user) -> bool:
    """True for active members of the secretariat (group or superuser).

    Costs one query the first time per request object; the answer is cached on the user.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # a superuser is the secretariat of last resort (created by createsuperuser)
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached


def can_use_admin(user) -> bool:
    """The admin is the secretariat's tool: only its members enter."""
    return is_secretariat(user)
