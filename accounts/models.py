"""The custom user: e-mail login, name and preferred language."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_link

SECRETARIAT_GROUP = "Secretariat"


class UserQuerySet(models.QuerySet):
    def secretariat(self):
        return self.filter(is_active=True, groups__name=SECRETARIAT_GROUP).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a city coordinator or a member of the secretariat."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(
        _("name"), max_length=150, help_text=_("How the person is addressed, e.g. “Ana Pérez”.")
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Every e-mail the portal sends to this person is written in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Set for members of the secretariat."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unset this instead of deleting the account."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class DeletionRequest(models.Model):
    """A person asks for their account and personal data to be deleted.

    The secretariat completes it in the admin: the account goes, the cities' content stays
    (practices, registrations and interests keep no author). Nothing personal is copied here.
    """

    user = optional_link(User, _("account"), related_name="deletion_requests")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = optional_link(User, _("completed by"), related_name="+")

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(completed_at__isnull=True),
                name="accounts_deletionrequest_one_open_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user or '—'} · {self.requested_at:%Y-%m-%d}"
