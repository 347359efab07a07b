"""An authentication backend that gives the secretariat every model permission."""

from .permissions import is_secretariat


class SecretariatBackend:
    """Grants every model permission to the secretariat, which may do everything.

    Authentication is left to the other backends; this one only answers has_perm.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return is_secretariat(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return is_secretariat(user_obj)
