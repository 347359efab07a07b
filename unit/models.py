"""The unit's own work: its work plans and lines of work, the periodic review, the library
of its documents, and its news.

It also keeps the secretariat's messages to the coordinators of the network and the record
of who was sent each one, in which language and when.

This app stands on the floor above `cities` (it reads the cities, their coordinators and
roles to address messages). Practices, events and funding calls point to the lines of work
they serve; a news item may name a related city or event, referred to by label
("cities.City", "events.Event") so that no module of theirs is imported here.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import Timestamped, optional_link
from core.translation import ContentLanguage, localized, localized_fields
from core.uploads import StoredUploadMixin

Language = ContentLanguage


class WorkPlanQuerySet(models.QuerySet):
    def covering(self, year: int):
        """The plan whose period (start_year..end_year, both included) covers `year`."""
        return self.filter(start_year__lte=year, end_year__gte=year)

    def overlapping(self, start_year: int, end_year: int):
        """Plans sharing at least one year with start_year..end_year."""
        return self.filter(start_year__lte=end_year, end_year__gte=start_year)


class WorkPlan(Timestamped):
    """A work plan of the unit for a period: its summary, document and lines of work.

    The coordinating and sub-coordinating cities of each year come from the cities' roles
    by period (cities.UnitRole), the single record of the unit's coordination.
    """

    start_year = models.PositiveSmallIntegerField(_("first year"), unique=True)
    end_year = models.PositiveSmallIntegerField(
        _("last year"), help_text=_("The last year the plan covers (the first, for one year).")
    )
    title_es, title_pt_br, title_en = localized_fields(models.CharField, "title", max_length=200)
    summary_es, summary_pt_br, summary_en = localized_fields(
        models.TextField, "summary", blank=True
    )
    document = optional_link(
        "unit.Document",
        _("document"),
        related_name="+",
        help_text=_("The plan itself, as kept in the library."),
    )

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="unit_workplan_period_order",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def get_absolute_url(self):
        return reverse("unit:plan", kwargs={"year": self.start_year})

    def clean(self):
        if self.start_year is None or self.end_year is None:
            return  # the fields' own "required" errors say it
        if self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot come before the first.")})
        other = (
            WorkPlan.objects.overlapping(self.start_year, self.end_year)
            .exclude(pk=self.pk)
            .order_by("start_year")
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("These years overlap the plan %(period)s: one plan is in force each year.")
                % {"period": other.period}
            )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def period(self) -> str:
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def review_years(self) -> list[int]:
        """The years that can be reviewed so far, latest first."""
        last = min(self.end_year, timezone.localdate().year)
        return list(range(last, self.start_year - 1, -1))


class LineOfWork(models.Model):
    """One line of work of a plan, in its order; activities name the lines they serve."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="lines"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_es, title_pt_br, title_en = localized_fields(models.CharField, "title", max_length=200)
    description_es, description_pt_br, description_en = localized_fields(
        models.TextField, "description", blank=True
    )
    shows_profile_updates = models.BooleanField(
        _("shows social-profile updates"),
        default=False,
        help_text=_("The review lists the cities that updated their social profile under it."),
    )
    counts_practice_transfers = models.BooleanField(
        _("counts practice transfers"),
        default=False,
        help_text=_(
            "The line of exchange of practices: the review lists the practice transfers "
            "published in the year under it."
        ),
    )

    class Meta:
        verbose_name = _("line of work")
        verbose_name_plural = _("lines of work")
        ordering = ["-plan__start_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unit_lineofwork_plan_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class ReviewNote(Timestamped):
    """The secretariat's review of one line of work for one year."""

    line = models.ForeignKey(
        LineOfWork,
        verbose_name=_("line of work"),
        on_delete=models.CASCADE,
        related_name="review_notes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    body = models.TextField(
        _("note"), max_length=10000, help_text=_("Markdown: lists, links and emphasis.")
    )
    author = optional_link(settings.AUTH_USER_MODEL, _("author"), editable=False, related_name="+")

    class Meta:
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        ordering = ["-year", "line__number"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="unit_reviewnote_line_year")
        ]

    def __str__(self):
        return f"{self.line} · {self.year}"

    def clean(self):
        plan = getattr(self.line, "plan", None) if self.line_id else None
        if plan and self.year and self.year not in plan.review_years():
            raise ValidationError(
                {
                    "year": _("Choose a year of the plan (%(period)s) that has begun.")
                    % {"period": plan.period}
                }
            )


def document_upload_to(instance, filename):
    # A random name: the original one is kept in the row, never used on disk.
    return f"unit/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public documents for everyone; members-only ones for coordinators and staff."""
        from .permissions import is_member

        if is_member(user):
            return self.all()
        return self.filter(audience=Document.Audience.PUBLIC)

    def with_card_data(self):
        return self.prefetch_related("lines")


class Document(StoredUploadMixin, Timestamped):
    """A document of the unit in its library: plans, reports, minutes, declarations,
    training material. Files are checked by content and served through a view."""

    class Kind(models.TextChoices):
        WORK_PLAN = "work_plan", _("work plan")
        REPORT = "report", _("report")
        MINUTES = "minutes", _("minutes")
        DECLARATION = "declaration", _("declaration")
        TRAINING = "training", _("training material")
        OTHER = "other", _("other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("everyone")
        MEMBERS = "members", _("member cities only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.REPORT)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=Language, default="es")
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    lines = models.ManyToManyField(
        LineOfWork, verbose_name=_("lines of work"), related_name="documents", blank=True
    )
    audience = models.CharField(
        _("who may read it"), max_length=8, choices=Audience, default=Audience.PUBLIC
    )
    for_new_members = models.BooleanField(
        _("for new members"),
        default=False,
        help_text=_("Listed on the page that welcomes new member cities."),
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    is_sample = models.BooleanField(_("sample content"), default=False)
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["-year", "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="unit_document_search"),
            models.Index(fields=["kind", "year"], name="unit_document_kind_year"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("unit:document", kwargs={"slug": self.slug})


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Published news for everyone; drafts and scheduled items for the secretariat."""
        from .permissions import can_manage_unit

        return self.all() if can_manage_unit(user) else self.published()

    def with_card_data(self):
        return self.select_related("city", "event").prefetch_related("lines")


class NewsItem(Timestamped):
    """A short announcement of the secretariat."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(
        _("text"), max_length=20000, blank=True, help_text=_("Markdown: lists, links and emphasis.")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language, default="es")
    published_at = models.DateTimeField(
        _("date"), default=timezone.now, db_index=True, help_text=_("Shown from this moment on.")
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Untick to keep the item as a draft that only the secretariat sees."),
    )
    lines = models.ManyToManyField(
        LineOfWork, verbose_name=_("lines of work"), related_name="news", blank=True
    )
    city = optional_link("cities.City", _("related city"), related_name="+")
    event = optional_link("events.Event", _("related event"), related_name="+")
    author = optional_link(settings.AUTH_USER_MODEL, _("author"), editable=False, related_name="+")
    is_sample = models.BooleanField(_("sample content"), default=False)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("unit:news_detail", kwargs={"slug": self.slug})


class NetworkMessage(Timestamped):
    """A message of the secretariat to the coordinators of the member cities (all, or those
    of one country, working group or role in the unit), written per language. It is a draft
    until sent; sending queues one e-mail per coordinator in their language, once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinating city")
        SUB_COORDINATOR = "sub_coordinator", _("sub-coordinating city")
        MEMBER = "member", _("member city with no coordinating role")

    subject_es, subject_pt_br, subject_en = localized_fields(
        models.CharField, "subject", optional=("pt-br", "en"), max_length=200
    )
    body_es, body_pt_br, body_en = localized_fields(
        models.TextField, "text", optional=("pt-br", "en"), max_length=20000
    )
    country = CountryField(
        _("country"), blank=True, help_text=_("Empty: the coordinators of every country.")
    )
    working_group = optional_link(
        "cities.WorkingGroup",
        _("working group"),
        related_name="+",
        help_text=_("Empty: whatever their working groups."),
    )
    role = models.CharField(
        _("role of the city in the unit"),
        max_length=20,
        choices=Role,
        blank=True,
        help_text=_("Empty: whatever their role."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False
    )
    created_by = optional_link(
        settings.AUTH_USER_MODEL, _("written by"), editable=False, related_name="+"
    )
    sent_by = optional_link(
        settings.AUTH_USER_MODEL, _("sent by"), editable=False, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0, editable=False)

    class Meta:
        verbose_name = _("message to coordinators")
        verbose_name_plural = _("messages to coordinators")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject_es

    def get_absolute_url(self):
        return reverse("unit:message", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        for suffix in ("pt_br", "en"):
            subject, body = getattr(self, f"subject_{suffix}"), getattr(self, f"body_{suffix}")
            if bool(subject.strip()) != bool(body.strip()):
                field = f"body_{suffix}" if subject.strip() else f"subject_{suffix}"
                errors[field] = _(
                    "Write both the subject and the text in this language, or neither."
                )
        if errors:
            raise ValidationError(errors)

    def text_in(self, language: str) -> tuple[str, str, str]:
        """(language used, subject, text) for a reader of `language`: its own version when
        written, Spanish otherwise."""
        suffix = language.lower().replace("-", "_")
        subject = getattr(self, f"subject_{suffix}", "") if suffix != "es" else ""
        if subject.strip():
            return language, subject, getattr(self, f"body_{suffix}")
        return "es", self.subject_es, self.body_es

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class MessageDelivery(models.Model):
    """The record of one e-mail of a message: who was sent it, at which address, in which
    language, with which subject, and when it was queued. The e-mail itself goes through
    the project's mail queue (core.tasks.send_mail) under `mail_key`."""

    message = models.ForeignKey(
        NetworkMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = optional_link(settings.AUTH_USER_MODEL, _("recipient"), related_name="+")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=300)
    mail_key = models.UUIDField(_("mail key"), unique=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        ordering = ["message", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "email"], name="unit_messagedelivery_message_email"
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.subject}"
