"""Funding calls that member cities may apply to, alone or jointly, and each city's interest.

The tables keep the names they had when the calls lived in `experiences` (migration
funding/0001 moved the models without touching the data)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cities.models import City
from core.models import Timestamped, optional_link
from experiences.models import Practice, Theme


class FundingCallQuerySet(models.QuerySet):
    """Status is derived from the dates (never stored): upcoming, open or closed today."""

    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(opens_on__lte=today, closes_on__gte=today)

    def upcoming(self, today=None):
        return self.filter(opens_on__gt=today or timezone.localdate())

    def closed(self, today=None):
        return self.filter(closes_on__lt=today or timezone.localdate())

    def with_status_rank(self, today=None):
        """`status_rank`: 0 open, 1 upcoming, 2 closed, for the public list's order."""
        today = today or timezone.localdate()
        return self.annotate(
            status_rank=models.Case(
                models.When(opens_on__gt=today, then=models.Value(1)),
                models.When(closes_on__lt=today, then=models.Value(2)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
        )

    def in_list_order(self, today=None):
        """Open calls first (closing soonest first), then upcoming (opening soonest), then
        closed ones (most recently closed first)."""
        today = today or timezone.localdate()
        return self.with_status_rank(today).order_by(
            "status_rank",
            models.Case(
                models.When(opens_on__gt=today, then=models.F("opens_on")),
                models.When(closes_on__gte=today, then=models.F("closes_on")),
            ).asc(nulls_last=True),
            models.F("closes_on").desc(),
            "pk",
        )

    def for_country(self, code):
        # Blank eligible countries means the call is open to every country. Codes are two
        # letters joined by commas, so a substring match cannot straddle two codes.
        return self.filter(Q(eligible_countries="") | Q(eligible_countries__contains=code))

    def with_card_data(self):
        return self.prefetch_related(
            models.Prefetch("themes", queryset=Theme.objects.order_by("position", "name_es"))
        )


class FundingCall(Timestamped):
    """A call for funding that member cities may apply to, alone or jointly."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    funder = models.CharField(
        _("funder"), max_length=200, help_text=_("The agency, bank or foundation that funds.")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(
        _("summary"),
        max_length=5000,
        help_text=_("What the call funds, who may apply and how (Markdown)."),
    )
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("themes"),
        related_name="funding_calls",
        blank=True,
        db_table="experiences_fundingcall_themes",
    )
    lines = models.ManyToManyField(
        "unit.LineOfWork",
        verbose_name=_("lines of work"),
        related_name="funding_calls",
        blank=True,
        help_text=_("The lines of the unit's work plan this serves."),
        db_table="experiences_fundingcall_lines",
    )
    eligible_countries = CountryField(
        _("eligible countries"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty when cities of every country may apply."),
    )
    amount_min = models.DecimalField(
        _("minimum amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("maximum amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Practice.Currency, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    link = models.URLField(_("link"), max_length=500, help_text=_("The funder's page of the call."))
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demonstration content, not a real call.")
    )

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        db_table = "experiences_fundingcall"
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["-closes_on", "title"]
        indexes = [
            models.Index(fields=["opens_on", "closes_on"], name="experiences_fundingcall_dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="experiences_fundingcall_dates_order",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="experiences_fundingcall_amounts_order",
                violation_error_message=_(
                    "The maximum amount cannot be smaller than the minimum amount."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(amount_min__isnull=True) | Q(amount_min__gte=0))
                & (Q(amount_max__isnull=True) | Q(amount_max__gte=0)),
                name="experiences_fundingcall_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The closing date cannot be before the opening date.")
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_max < self.amount_min
        ):
            errors["amount_max"] = _(
                "The maximum amount cannot be smaller than the minimum amount."
            )
        if (self.amount_min is not None or self.amount_max is not None) and not self.currency:
            errors["currency"] = _("Choose the currency of the amounts.")
        if errors:
            raise ValidationError(errors)

    def status_on(self, today) -> "FundingCall.Status":
        if today < self.opens_on:
            return self.Status.UPCOMING
        if today > self.closes_on:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> "FundingCall.Status":
        """Mirror of the QuerySet's open()/upcoming()/closed(), for one loaded call."""
        return self.status_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FundingInterest(models.Model):
    """A member city's interest in a funding call, so cities can team up for joint bids."""

    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("funding call"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="funding_interests"
    )
    marked_by = optional_link(settings.AUTH_USER_MODEL, _("marked by"), related_name="+")
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("For example, the partners you are looking for."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "experiences_fundinginterest"
        verbose_name = _("interest in a funding call")
        verbose_name_plural = _("interests in funding calls")
        ordering = ["call", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "city"],
                name="experiences_fundinginterest_one_per_city",
                violation_error_message=_("This city already marked its interest in the call."),
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.call}"
