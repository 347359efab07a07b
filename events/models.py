"""Events, their documents and the cities' registrations with their delegates."""

import datetime
import uuid
import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, WorkingGroup
from core.uploads import StoredUploadMixin
from unit.models import LineOfWork

# The zones of the member cities' countries. Labels name the zone's city, which reads
# the same in every language of the portal.
TIME_ZONE_CHOICES = [
    ("America/Argentina/Buenos_Aires", "Buenos Aires"),
    ("America/Sao_Paulo", "São Paulo"),
    ("America/Montevideo", "Montevideo"),
    ("America/Asuncion", "Asunción"),
    ("America/Santiago", "Santiago de Chile"),
    ("America/La_Paz", "La Paz"),
    ("America/Lima", "Lima"),
    ("America/Bogota", "Bogotá"),
    ("America/Caracas", "Caracas"),
    ("America/Guayaquil", "Guayaquil"),
    ("America/Panama", "Panamá"),
]


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The unit's events are public, cancelled ones included (they carry a banner).
        return self.all()

    def upcoming(self, now=None):
        """Events that have not ended yet (running ones included)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def held(self, now=None):
        """Events that took place: ended by `now` and not cancelled. A future or running
        event is never counted as held."""
        return self.past(now).filter(cancelled=False)

    def with_card_data(self):
        return self.select_related("host_city", "working_group")

    def with_detail_data(self):
        return self.with_card_data().prefetch_related(
            models.Prefetch("documents", queryset=EventDocument.objects.order_by("kind", "title")),
            models.Prefetch("lines", queryset=LineOfWork.objects.select_related("plan")),
        )

    def upcoming_first(self, now=None):
        """Upcoming events soonest first, then past events latest first (one ORDER BY)."""
        now = now or timezone.now()
        return self.annotate(
            is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
        ).order_by(
            "is_past",
            Case(When(ends_at__gte=now, then=F("starts_at"))).asc(nulls_last=True),
            F("starts_at").desc(),
            "pk",
        )

    def with_calendar_data(self):
        """Only the columns an iCalendar file shows (events/calendars.py), host city joined."""
        return self.select_related("host_city").only(
            "title",
            "slug",
            "kind",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "description",
            "cancelled",
            "created_at",
            "updated_at",
            "host_city__name",
            "host_city__country",
        )

    def for_calendar(self, now=None):
        """What the iCalendar feed carries: everything upcoming and the last year's events."""
        now = now or timezone.now()
        return self.filter(ends_at__gte=now - datetime.timedelta(days=365)).with_calendar_data()


class Event(models.Model):
    """A summit, meeting, training, webinar or assembly of the unit."""

    class Kind(models.TextChoices):
        SUMMIT = "summit", _("summit")
        MEETING = "meeting", _("meeting")
        WORKSHOP = "workshop", _("workshop or training")
        WEBINAR = "webinar", _("webinar")
        ASSEMBLY = "assembly", _("assembly")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.MEETING)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONE_CHOICES,
        default="America/Argentina/Buenos_Aires",
        help_text=_("The times are entered and shown in this zone, the one of the event's place."),
    )
    place = models.CharField(
        _("place"), max_length=250, blank=True, help_text=_("Venue and address, if any.")
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    host_city = models.ForeignKey(
        City,
        verbose_name=_("host city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    lines = models.ManyToManyField(
        "unit.LineOfWork",
        verbose_name=_("lines of work"),
        related_name="events",
        blank=True,
        help_text=_("The lines of the unit's work plan this serves."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Plain text; leave a blank line between paragraphs."),
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats for delegates; empty when there is no limit."),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    is_sample = models.BooleanField(_("sample content"), default=False)
    notified_at = models.DateTimeField(
        _("coordinators notified at"),
        null=True,
        blank=True,
        help_text=_("When the coordinators were told that registration is open."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="events_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_event_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError(
                {"ends_at": _("The event cannot end before it starts.")}, code="ends_before_start"
            )

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.tz)

    @property
    def local_ends_at(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at, self.tz)

    @property
    def time_zone_label(self) -> str:
        return dict(TIME_ZONE_CHOICES).get(self.time_zone, self.time_zone)

    @property
    def year(self) -> int:
        return self.local_starts_at.year

    @property
    def single_day(self) -> bool:
        return self.local_starts_at.date() == self.local_ends_at.date()

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) > self.ends_at

    @property
    def phase(self) -> str:
        """ "upcoming" before it starts, "started" while it runs, "ended" afterwards."""
        now = timezone.now()
        if self.has_ended(now):
            return "ended"
        return "started" if self.has_started(now) else "upcoming"

    def accepts_registrations(self, now=None) -> bool:
        return self.registration_open and not self.cancelled and not self.has_started(now)

    def seats_taken(self) -> int:
        """Delegates of confirmed registrations (one query)."""
        total = self.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
            n=Sum("attendees")
        )["n"]
        return total or 0


def document_upload_to(instance, filename):
    # A random name: the original one is kept in the row, never used on disk.
    suffix = PurePath(filename).suffix.lower()
    return f"events/{uuid.uuid4().hex}{suffix}"


class EventDocument(StoredUploadMixin, models.Model):
    """An agenda, minutes or presentation of an event; type checked by content."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("agenda")
        MINUTES = "minutes", _("minutes")
        PRESENTATION = "presentation", _("presentation")
        OTHER = "other", _("other document")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind, default=Kind.AGENDA)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")
        ordering = ["kind", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:document", kwargs={"slug": self.event.slug, "pk": self.pk})


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("waiting_position", "pk")

    def for_cities(self, city_ids):
        return self.filter(city_id__in=city_ids)

    def attended(self, now=None):
        """The registrations of cities that attended: the event ended and was not
        cancelled, and the secretariat marked the city as present or, without its
        correction, the registration was confirmed. The one rule of attendance."""
        now = now or timezone.now()
        present = Q(attended=True) | Q(attended__isnull=True, status=Registration.Status.CONFIRMED)
        return self.filter(present, event__cancelled=False, event__ends_at__lt=now)

    def with_delegates(self):
        return self.select_related("city", "registered_by").prefetch_related(
            models.Prefetch("delegates", queryset=Delegate.objects.order_by("pk"))
        )


class Registration(models.Model):
    """A city's registration for an event, with its delegates."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    attendees = models.PositiveIntegerField(
        _("attendees"),
        default=1,
        help_text=_("Number of delegates; kept when their personal data is deleted."),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CONFIRMED)
    waiting_position = models.PositiveIntegerField(_("position on the waiting list"), null=True)
    delegates_purged_at = models.DateTimeField(
        _("delegates' data deleted at"), null=True, blank=True
    )
    attended = models.BooleanField(
        _("attended"),
        null=True,
        blank=True,
        help_text=_(
            "The secretariat's correction after the event. Empty: a confirmed registration "
            "counts as attended once the event has ended."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; guards concurrent edits.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["status", "waiting_position", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "city"], name="events_registration_event_city_unique"
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1), name="events_registration_attendees_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting_position__isnull=False)
                | Q(status="confirmed", waiting_position__isnull=True),
                name="events_registration_waiting_has_position",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="events_registration_version_positive"
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.event}"

    def clean(self):
        super().clean()
        if (self.status == self.Status.WAITING) != (self.waiting_position is not None):
            raise ValidationError(
                _("A registration has a waiting-list position exactly when it is waiting."),
                code="waiting_position",
            )

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class Delegate(models.Model):
    """A person a city sends to an event; personal data seen by the secretariat only and
    deleted some time after the event (see the purge_delegates command)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="delegates",
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    consented_at = models.DateTimeField(
        _("consent given at"),
        help_text=_("When the coordinator confirmed the person agreed to share these details."),
    )

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["registration", "pk"]

    def __str__(self):
        return self.name
