"""Cities, focal points, coordinators, working groups and membership applications."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import Timestamped, optional_link
from core.text import sort_key
from core.translation import LocalizedNameMixin, localized_fields

# Contacts older than this are flagged for the coordinators to confirm.
FOCAL_POINT_STALE_AFTER = datetime.timedelta(days=365)


class CityQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=City.Status.MEMBER)

    def visible_to(self, user):
        # The registry is public: every city row may be read; contacts are separate.
        return self.all()

    def coordinated_by(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(coordinators__user=user)

    def with_card_data(self):
        return self.prefetch_related(
            models.Prefetch("unit_roles", queryset=UnitRole.objects.order_by("-from_year"))
        )


class City(Timestamped):
    class Status(models.TextChoices):
        MEMBER = "member", _("member")
        APPLICANT = "applicant", _("applicant")
        FORMER = "former", _("former member")

    name = models.CharField(_("name"), max_length=120)
    # The name's sort key (core.text.sort_key), kept by save(): every list of cities sorts
    # by it. The "C" collation compares it by code point, the order the key is made for.
    sort_name = models.CharField(
        _("sort name"), max_length=240, editable=False, db_collation="C", default=""
    )
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    country = CountryField(_("country"))
    state_province = models.CharField(_("state or province"), max_length=120, blank=True)
    state_code = models.CharField(
        _("state or province code"), max_length=8, blank=True, help_text=_("ISO 3166-2, e.g. AR-B.")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.MEMBER)
    membership_verified = models.BooleanField(
        _("membership verified"),
        default=True,
        help_text=_("Unset when membership rests on indirect evidence and should be confirmed."),
    )
    joined_year = models.PositiveSmallIntegerField(_("member since"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["country", "name"], name="cities_city_country_name"),
            models.Index(fields=["sort_name", "id"], name="cities_city_sort_name"),
            models.Index(fields=["status"], name="cities_city_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="cities_city_name_country_unique"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="cities_city_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="cities_city_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(joined_year__isnull=True) | Q(joined_year__gte=1995),
                name="cities_city_joined_after_founding",
            ),
            models.CheckConstraint(
                condition=Q(population_year__isnull=True)
                | Q(population_year__gte=1800, population_year__lte=2100),
                name="cities_city_population_year_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The sort key follows the name whatever writes it: services, the admin, seed data.
        self.sort_name = sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cities:detail", kwargs={"slug": self.slug})

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class UnitRoleQuerySet(models.QuerySet):
    def covering(self, year: int):
        """Roles whose period (from_year..to_year, open while to_year is empty) covers `year`."""
        return self.filter(Q(to_year__isnull=True) | Q(to_year__gte=year), from_year__lte=year)

    def current(self):
        """Roles whose period covers today's year: none when no period does (never an
        earlier period's roles, which `cities.queries.coordination_in` shows as such)."""
        return self.covering(timezone.localdate().year)


class UnitRole(models.Model):
    """A city's role in the unit's coordination for a period (from one Summit to the next)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        SUB_COORDINATOR = "sub_coordinator", _("sub-coordinator")

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="unit_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, help_text=_("Empty while the period is running.")
    )
    source_url = models.URLField(_("source"), blank=True, max_length=500)

    objects = UnitRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role in the unit")
        verbose_name_plural = _("roles in the unit")
        ordering = ["-from_year", "role", "city__sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "role", "from_year"], name="cities_unitrole_city_role_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=models.F("from_year")),
                name="cities_unitrole_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.get_role_display()} · {self.period}"

    @property
    def period(self) -> str:
        if self.to_year and self.to_year != self.from_year:
            return f"{self.from_year}–{self.to_year}"
        return str(self.from_year)

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or self.to_year >= year)


class WorkingGroup(LocalizedNameMixin, models.Model):
    """A working group of the unit, or a related thematic unit of the network."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("working group")
        RELATED_UNIT = "related_unit", _("related thematic unit")

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WORKING_GROUP)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "name", max_length=120)
    description_es, description_pt_br, description_en = localized_fields(
        models.TextField, "description", blank=True
    )
    cities = models.ManyToManyField(
        City, verbose_name=_("cities"), related_name="working_groups", blank=True
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["kind", "name_es"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cities:group", kwargs={"slug": self.slug})

    @property
    def is_working_group(self) -> bool:
        return self.kind == self.Kind.WORKING_GROUP


class FocalPoint(models.Model):
    """A contact person in a city's administration; seen by members only."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="focal_points"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("International format, e.g. +54 11 4350 0000."),
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    last_confirmed_on = models.DateField(
        _("last confirmed"),
        default=timezone.localdate,
        help_text=_("When someone last checked that this contact is still right."),
    )

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city"], condition=Q(is_primary=True), name="cities_focalpoint_one_primary"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    @property
    def is_stale(self) -> bool:
        return timezone.localdate() - self.last_confirmed_on > FOCAL_POINT_STALE_AFTER


class CityCoordinator(models.Model):
    """Links a user to a city they coordinate; a user may coordinate several cities."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="coordinated_cities",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="coordinators"
    )
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("city coordinator")
        verbose_name_plural = _("city coordinators")
        ordering = ["city__sort_name", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "city"], name="cities_citycoordinator_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.city}"


class MembershipApplication(models.Model):
    """A city asking to join, by one of two paths: a member city of Mercociudades asks to
    take part in the unit (the secretariat confirms it in one step), or a city outside the
    network applies to Mercociudades through the stages the network's statutes set."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("take part in the unit (a city already in Mercociudades)")
        NETWORK = "network", _("join Mercociudades (a city outside the network)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        UNDER_REVIEW = "under_review", _("under review by the secretariat")
        RECOMMENDED = "recommended", _("recommended to the Council")
        APPROVED = "approved", _("approved by the Assembly")
        REJECTED = "rejected", _("rejected")

    PENDING = (Status.RECEIVED, Status.UNDER_REVIEW, Status.RECOMMENDED)

    kind = models.CharField(
        _("what the city asks"), max_length=10, choices=Kind, default=Kind.NETWORK
    )

    city_name = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    contact_name = models.CharField(_("contact name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    position = models.CharField(_("position"), max_length=150)
    motivation = models.TextField(_("motivation"), max_length=4000)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RECEIVED)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    city = optional_link(City, _("city created"), related_name="applications")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                Lower("city_name"),
                "country",
                condition=Q(status__in=["received", "under_review", "recommended"]),
                name="cities_application_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="cities_application_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.city_name} ({self.country.code})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def status_label(self) -> str:
        """The status in words; on the unit path the secretariat, not the Assembly, approves."""
        return stage_label(self.kind, self.status)


def stage_label(kind: str, status: str) -> str:
    """A stage's name for an application of this kind (see MembershipApplication.Kind)."""
    Status = MembershipApplication.Status
    if kind == MembershipApplication.Kind.UNIT and status == Status.APPROVED:
        return str(_("confirmed by the secretariat"))
    return str(Status(status).label)


class ApplicationStage(models.Model):
    """One step of an application's history: its new status, when, by whom, and a note."""

    application = models.ForeignKey(
        MembershipApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    status = models.CharField(_("status"), max_length=20, choices=MembershipApplication.Status)
    note = models.TextField(_("note"), blank=True)
    decided_by = optional_link(settings.AUTH_USER_MODEL, _("decided by"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("application stage")
        verbose_name_plural = _("application stages")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.application} · {self.get_status_display()}"


class CoordinatorInvitation(models.Model):
    """A single-use, time-limited invitation for a person to coordinate a city."""

    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = optional_link(settings.AUTH_USER_MODEL, _("invited by"), related_name="+")
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = optional_link(settings.AUTH_USER_MODEL, _("account"), related_name="+")

    class Meta:
        verbose_name = _("coordinator invitation")
        verbose_name_plural = _("coordinator invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.city}"

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
