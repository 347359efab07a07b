"""How comparable two cities are, practices one city took from another (transfers), and
the questions members send to a practice's city."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from cities.models import City, CityCoordinator
from experiences.models import Practice
from funding.models import FundingCall


class CityComparability(models.Model):
    """How alike `city` and `other` are, for ranking the practices shown to `city`; one row
    per ordered pair, written by services.comparability_refresh (a background task)."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        City, verbose_name=_("other city"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    same_population_band = models.BooleanField(_("similar size"), default=False)
    same_country = models.BooleanField(_("same country"), default=False)
    same_region = models.BooleanField(_("same state or province"), default=False)
    shared_problems = models.PositiveSmallIntegerField(_("shared problems"), default=0)
    indicator_closeness = models.FloatField(
        _("indicator closeness"),
        null=True,
        blank=True,
        help_text=_("Share of the indicators both report whose values are within 25%."),
    )
    refreshed_at = models.DateTimeField(_("refreshed"), default=timezone.now)

    class Meta:
        verbose_name = _("city comparability")
        verbose_name_plural = _("city comparabilities")
        ordering = ["city", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["city", "other"], name="peers_citycomparability_pair"),
            models.CheckConstraint(
                condition=~Q(city=models.F("other")), name="peers_citycomparability_two_cities"
            ),
        ]

    def __str__(self):
        return f"{self.city_id} ~ {self.other_id}: {self.score:.2f}"


class TransferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Transfer.Status.PUBLISHED)

    def visible_to(self, user):
        """Published transfers for everyone; their own cities' drafts for coordinators;
        everything for the secretariat."""
        if is_secretariat(user):
            return self.all()
        published = Q(status=Transfer.Status.PUBLISHED)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(published)
        own = Q(city__in=CityCoordinator.objects.filter(user=user).values("city"))
        return self.filter(published | own)

    def with_card_data(self):
        return self.select_related("city", "practice__city")


class Transfer(models.Model):
    """A city adopted or adapted another city's practice: when, what it changed, what came
    of it, and a contact that only members of the network see."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("adopted as it was")
        ADAPTED = "adapted", _("adapted")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="transfers"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("adopting city"),
        on_delete=models.CASCADE,
        related_name="adopted_practices",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ADAPTED)
    started_on = models.DateField(_("started on"), help_text=_("When your city started it."))
    changes = models.TextField(
        _("what was changed"),
        blank=True,
        help_text=_("What your city did differently from the original practice."),
    )
    results = models.TextField(_("first results"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown to members of the network only.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer of a practice")
        verbose_name_plural = _("transfers of practices")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["status", "practice"], name="peers_transfer_status")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "city"], name="peers_transfer_once"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="peers_transfer_published_has_date",
            ),
        ]

    def __str__(self):
        # No related rows: the admin lists many transfers at once (a city's delete page).
        return f"{self.get_kind_display()} · {self.started_on}"

    def get_absolute_url(self):
        return reverse("peers:transfer_detail", kwargs={"pk": self.pk})

    def clean(self):
        # A city does not transfer its own practice (a check across two tables: kept here
        # and in services.transfer_save).
        if self.practice_id and self.city_id and self.practice.city_id == self.city_id:
            raise ValidationError({"city": _("A city cannot adopt its own practice.")})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Question(models.Model):
    """A question a member sent to a practice's city, or to the other cities interested in
    a funding call; kept (without the addresses it went to) for the secretariat's figures."""

    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("funding call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_city = models.ForeignKey(
        City,
        verbose_name=_("asking city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message"))
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("question to a city")
        verbose_name_plural = _("questions to cities")
        ordering = ["-asked_at"]

    def __str__(self):
        return f"{self.asked_at:%Y-%m-%d %H:%M} · {self.recipient_count}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """An e-mail address that receives a digest of what is new in what it follows. A
    visitor's address counts only once confirmed (double opt-in); a member's is confirmed
    by their account. `token` is the secret of the confirm and unsubscribe links."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    email = models.EmailField(_("e-mail"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="peers_subscriber",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pk} · {self.get_frequency_display()}"


class Follow(models.Model):
    """One thing a subscriber follows: a theme, a social problem, a country or a city."""

    class Kind(models.TextChoices):
        THEME = "theme", _("theme")
        PROBLEM = "problem", _("social problem")
        COUNTRY = "country", _("country")
        CITY = "city", _("city")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    key = models.CharField(_("slug or country code"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind", "key"], name="peers_follow_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.key}"
