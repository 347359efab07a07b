"""Practices, their themes, CRC articles, attachments and the cities' publishing rights."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.permissions import is_secretariat
from cities.models import City, CityCoordinator
from core.fulltext import headline, search_query
from core.models import Timestamped, optional_link
from core.translation import ContentLanguage, LocalizedNameMixin, localized_fields
from core.uploads import StoredUploadMixin
from mapping.models import DevelopmentGoal, SocialProblem
from unit.models import LineOfWork

# Text search configurations created by migration 0001: each is the language's stemmer
# behind `unaccent`, so "ninos" finds "niños" and "criancas" finds "crianças".


def _list_url(**params) -> str:
    return f"{reverse('experiences:list')}?{urlencode(params)}"


class Theme(LocalizedNameMixin, models.Model):
    """A line of the unit's work plan (social rights, childhood, migration, …)."""

    slug = models.SlugField(_("slug"), unique=True)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "name", max_length=120)
    description_es, description_pt_br, description_en = localized_fields(
        models.TextField, "description", blank=True
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Themes are listed by this number, then by name.")
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name_es"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _list_url(theme=self.slug)


class CRCArticle(LocalizedNameMixin, models.Model):
    """A substantive article (1–42) of the UN Convention on the Rights of the Child."""

    number = models.PositiveSmallIntegerField(_("article number"), unique=True)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "short title", max_length=150)
    general_principle = models.BooleanField(
        _("general principle"),
        default=False,
        help_text=_("Articles 2, 3, 6 and 12 are the Convention's general principles."),
    )

    class Meta:
        verbose_name = _("article of the Convention on the Rights of the Child")
        verbose_name_plural = _("articles of the Convention on the Rights of the Child")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=42),
                name="experiences_crcarticle_number_range",
                violation_error_message=_("The substantive articles are numbered 1 to 42."),
            ),
        ]

    def __str__(self):
        return gettext("Art. %(number)s · %(name)s") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        return _list_url(crc=self.number)


class CityPublishingRight(models.Model):
    """Lets a city's coordinators publish without the secretariat's review."""

    city = models.OneToOneField(
        City,
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="publishing_right",
    )
    can_self_publish = models.BooleanField(
        _("may publish without review"),
        default=False,
        help_text=_("Coordinators of this city publish their practices directly."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("city publishing right")
        verbose_name_plural = _("city publishing rights")
        ordering = ["city__name"]

    def __str__(self):
        return str(self.city)


# Kept at module level so services can write one record per change, m2m included
# (services.practice_create/practice_update), instead of one per m2m `.set()`.
PRACTICE_HISTORY = HistoricalRecords(
    verbose_name=_("historical practice"),
    excluded_fields=["search_vector"],
    m2m_fields=["themes", "goals", "social_problems", "crc_articles", "partner_cities"],
)
# The practice's written sections in reading order: the template (Practice.SECTIONS) and
# the people it serves.
PRACTICE_TEXT_FIELDS = (
    "summary",
    "problem",
    "objectives",
    "actions",
    "results",
    "lessons_learned",
    "target_population",
)
# Fields a coordinator writes through the form (the rest belong to the workflow).
PRACTICE_EDITABLE_FIELDS = (
    "title",
    "city",
    "language",
    *PRACTICE_TEXT_FIELDS,
    "start_date",
    "end_date",
    "budget",
    "currency",
    "funding_source",
    "partners",
    "contact_name",
    "contact_email",
)
PRACTICE_M2M_FIELDS = (
    "partner_cities",
    "themes",
    "lines",
    "goals",
    "social_problems",
    "crc_articles",
)


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)

    def visible_to(self, user):
        """Published practices for everyone; all of their cities' for coordinators; all
        for the secretariat. Archived and unpublished ones stay with their city."""
        if is_secretariat(user):
            return self.all()
        published = Q(status=Practice.Status.PUBLISHED)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(published)
        own = Q(city__in=CityCoordinator.objects.filter(user=user).values("city"))
        return self.filter(published | own)

    def in_progress_for(self, user):
        """The secretariat's review queue (practices in review, changes to published ones
        waiting for approval); for a coordinator, the drafts, practices in review and
        pending changes of the cities they coordinate. `pending_revision_at` tells when
        the pending changes were saved (None without any)."""
        pending = PracticeRevision.objects.filter(
            practice=models.OuterRef("pk"), status=PracticeRevision.Status.PENDING
        )
        has_pending = models.Exists(pending)
        if is_secretariat(user):
            waiting = self.filter(Q(status=Practice.Status.IN_REVIEW) | Q(has_pending))
        elif getattr(user, "is_authenticated", False):
            waiting = self.filter(
                Q(status__in=[Practice.Status.DRAFT, Practice.Status.IN_REVIEW]) | Q(has_pending),
                city__in=CityCoordinator.objects.filter(user=user).values("city"),
            )
        else:
            return self.none()
        return (
            waiting.select_related("city")
            .annotate(pending_revision_at=models.Subquery(pending.values("created_at")[:1]))
            .order_by("-updated_at")
        )

    def for_city(self, city):
        """The city's own practices and those it runs jointly as a partner."""
        partner = Practice.partner_cities.through.objects.filter(city=city).values("practice")
        return self.filter(Q(city=city) | Q(pk__in=partner))

    def with_card_data(self):
        return self.select_related("city").prefetch_related(
            models.Prefetch("themes", queryset=Theme.objects.order_by("position", "name_es"))
        )

    def with_detail_data(self):
        """The detail page's rows: city, author, attachments and lines of work here; the
        small classification lists are read together by `load_classification`."""
        return self.select_related("city__publishing_right", "author").prefetch_related(
            models.Prefetch(
                "attachments", queryset=PracticeAttachment.objects.order_by("created_at", "id")
            ),
            models.Prefetch("lines", queryset=LineOfWork.objects.select_related("plan")),
        )

    def search(self, text):
        """Full-text match of `text` in any of the three languages, ranked and with a
        highlighted snippet (`rank`, `headline`; see core.text.highlight)."""
        query = search_query(text)
        if query is None:
            return self.none().annotate(
                rank=models.Value(0.0, output_field=models.FloatField()),
                headline=models.Value("", output_field=models.TextField()),
            )
        return self.filter(search_vector=query).annotate(
            rank=SearchRank(models.F("search_vector"), query),
            headline=headline("summary", query),
        )

    def related_to(self, practice, limit=3):
        """Published practices of other cities sharing the most themes with this one, the
        most recently published first among equals. The choice is made in SQL on the
        links alone (practice id, shared count), and only the `limit` chosen rows are read."""
        theme_ids = [theme.pk for theme in practice.themes.all()]
        if not theme_ids:
            return self.none()
        # one row per candidate, from the link table: how many themes it shares
        chosen = (
            Practice.themes.through.objects.filter(
                theme_id__in=theme_ids,
                practice__in=self.published()
                .exclude(city_id=practice.city_id)
                .exclude(pk=practice.pk)
                .values("pk"),
            )
            .order_by()
            .values("practice_id")
            .annotate(shared=models.Count("pk"), published=models.Max("practice__published_at"))
            .order_by("-shared", "-published", "-practice_id")
            .values("practice_id")[:limit]
        )
        return (
            self.filter(pk__in=chosen)
            .annotate(shared=_shared_themes(theme_ids))
            .order_by("-shared", "-published_at", "-pk")
            .with_card_data()
        )


def _shared_themes(theme_ids):
    """How many of `theme_ids` the outer practice has."""
    return models.Subquery(
        Practice.themes.through.objects.filter(
            practice_id=models.OuterRef("pk"), theme_id__in=theme_ids
        )
        .order_by()
        .values("practice_id")
        .annotate(n=models.Count("pk"))
        .values("n")[:1],
        output_field=models.IntegerField(),
    )


# The detail page's small lists of one practice: relation name → its ordered queryset.
def _classification_querysets(practice) -> dict:
    return {
        "themes": Theme.objects.filter(practices=practice).order_by("position", "name_es"),
        "goals": DevelopmentGoal.objects.filter(practices=practice).order_by("framework", "number"),
        "social_problems": SocialProblem.objects.filter(practices=practice).order_by("name_es"),
        "crc_articles": CRCArticle.objects.filter(practices=practice).order_by("number"),
        "partner_cities": City.objects.filter(partner_practices=practice).order_by(
            "sort_name", "pk"
        ),
    }


def load_classification(practice) -> None:
    """Themes, goals, problems, CRC articles and partner cities of `practice` in one query,
    kept as if prefetched (`practice.themes.all()` and the others then ask nothing)."""
    from .vocabulary import fetch_lists

    lists = fetch_lists(**_classification_querysets(practice))
    cache = practice.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in lists.items():
        queryset = getattr(practice, name).all()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[name] = queryset


def _section(verbose_name, help_text="", max_length=10000):
    """One written section of a practice: optional while it is a draft (see
    REQUIRED_TO_PUBLISH)."""
    return models.TextField(verbose_name, blank=True, max_length=max_length, help_text=help_text)


class Practice(Timestamped):
    """A systematised local social-policy experience of a member city."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    Language = ContentLanguage

    class Currency(models.TextChoices):
        ARS = "ARS", _("Argentine peso (ARS)")
        BRL = "BRL", _("Brazilian real (BRL)")
        UYU = "UYU", _("Uruguayan peso (UYU)")
        PYG = "PYG", _("Paraguayan guaraní (PYG)")
        CLP = "CLP", _("Chilean peso (CLP)")
        BOB = "BOB", _("Bolivian boliviano (BOB)")
        PEN = "PEN", _("Peruvian sol (PEN)")
        COP = "COP", _("Colombian peso (COP)")
        USD = "USD", _("US dollar (USD)")
        EUR = "EUR", _("euro (EUR)")

    # The template every practice follows, in reading order (field name, heading).
    SECTIONS = (
        ("summary", _("Summary")),
        ("problem", _("Problem addressed")),
        ("objectives", _("Objectives")),
        ("actions", _("Actions")),
        ("results", _("Results")),
        ("lessons_learned", _("Lessons learned")),
    )
    # What a practice needs before it is submitted or published.
    REQUIRED_TO_PUBLISH = ("summary", "problem", "objectives", "actions", "results")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="practices"
    )
    partner_cities = models.ManyToManyField(
        City,
        verbose_name=_("partner cities"),
        related_name="partner_practices",
        blank=True,
        help_text=_("Other member cities that run this practice jointly."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=3000,
        help_text=_("One or two paragraphs: what the practice does, for whom, and where."),
    )
    problem = _section(
        _("problem addressed"),
        _("The social problem or unmet right, with figures if you have them."),
    )
    objectives = _section(_("objectives"))
    actions = _section(
        _("actions"), _("What was done, by whom, with which resources."), max_length=20000
    )
    results = _section(_("results"), _("Coverage, changes observed, evaluations."))
    lessons_learned = _section(
        _("lessons learned"), _("What another city should know before doing the same.")
    )
    target_population = models.TextField(_("target population"), blank=True, max_length=2000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while it is running.")
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    partners = models.TextField(
        _("partners"),
        blank=True,
        max_length=3000,
        help_text=_("Organisations, universities, agencies or ministries taking part."),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown to members of the network only.")
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="practices", blank=True
    )
    goals = models.ManyToManyField(
        DevelopmentGoal, verbose_name=_("development goals"), related_name="practices", blank=True
    )
    social_problems = models.ManyToManyField(
        SocialProblem, verbose_name=_("social problems"), related_name="practices", blank=True
    )
    lines = models.ManyToManyField(
        "unit.LineOfWork",
        verbose_name=_("lines of work"),
        related_name="practices",
        blank=True,
        help_text=_("The lines of the unit's work plan this serves."),
    )
    crc_articles = models.ManyToManyField(
        CRCArticle,
        verbose_name=_("articles of the Convention on the Rights of the Child"),
        related_name="practices",
        blank=True,
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language,
        default=Language.ES,
        help_text=_("The language this practice is written in."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(_("featured"), default=False)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demonstration content, not a real practice.")
    )
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        help_text=_("The secretariat's request for changes, shown to the city's coordinators."),
    )
    review_comment_at = models.DateTimeField(_("sent back on"), null=True, blank=True)
    author = optional_link(settings.AUTH_USER_MODEL, _("author"), related_name="practices")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every save; guards concurrent edits.")
    )
    # Kept current by services.practice_refresh_search() after every write.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = PracticeQuerySet.as_manager()
    history = PRACTICE_HISTORY

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="experiences_practice_search"),
            models.Index(fields=["status", "-published_at"], name="experiences_practice_status"),
            # the published practices' ids alone (index-only), for the semi-joins from the
            # link tables: theme counts, related practices
            models.Index(
                fields=["status", "id"],
                include=["city", "published_at"],
                name="experiences_practice_status_id",
            ),
            models.Index(fields=["start_date"], name="experiences_practice_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="experiences_practice_dates_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="experiences_practice_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="experiences_practice_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""),
                name="experiences_practice_budget_has_currency",
                violation_error_message=_("Choose the currency of the budget."),
                violation_error_code="currency",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="experiences_practice_version_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("experiences:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.budget is not None and not self.currency:
            errors["currency"] = _("Choose the currency of the budget.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_sent_back(self) -> bool:
        """A draft the secretariat sent back with comments (not yet submitted again)."""
        return self.status == self.Status.DRAFT and bool(self.review_comment)

    def get_progress_display(self) -> str:
        """The status as the city reads it: a draft sent back with comments says so."""
        if self.is_sent_back:
            return gettext("sent back with comments")
        return self.get_status_display()

    def pending_revision(self):
        """The changes to this published practice waiting for approval, or None (a query)."""
        return self.revisions.filter(status=PracticeRevision.Status.PENDING).first()

    @property
    def og_locale(self) -> str:
        return {"pt-br": "pt_BR", "en": "en_US"}.get(self.language, "es_LA")

    @property
    def year(self) -> int:
        return self.start_date.year

    def missing_sections(self) -> list[str]:
        """Verbose names of the template sections still empty (no query)."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_TO_PUBLISH
            if not (getattr(self, name) or "").strip()
        ]

    def sections(self):
        """(heading, text) of the sections after the summary, in reading order."""
        return [(heading, getattr(self, name)) for name, heading in self.SECTIONS[1:]]


def attachment_upload_to(instance, filename):
    # A random name: the original one is kept in the row, never used on disk.
    suffix = PurePath(filename).suffix.lower()
    return f"practices/{uuid.uuid4().hex}{suffix}"


class PracticeAttachment(StoredUploadMixin, models.Model):
    """A document attached to a practice; type checked by content, downloaded only."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = optional_link(settings.AUTH_USER_MODEL, _("uploaded by"), related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("historical attachment"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("experiences:attachment", kwargs={"slug": self.practice.slug, "pk": self.pk})


class PracticeRevision(models.Model):
    """Changes to a published practice by a city that publishes after review: kept here,
    while the published text stays public, until the secretariat approves them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")
        REPLACED = "replaced", _("replaced by later changes")

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="revisions"
    )
    # The form's fields: the texts as written, the city and the vocabularies by id.
    data = models.JSONField(_("proposed text"), encoder=DjangoJSONEncoder)
    version = models.PositiveIntegerField(
        _("version"), help_text=_("The practice's version this save claimed.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    author = optional_link(settings.AUTH_USER_MODEL, _("author"), related_name="+")
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    decided_by = optional_link(settings.AUTH_USER_MODEL, _("decided by"), related_name="+")
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Why the secretariat did not approve the changes.")
    )

    class Meta:
        verbose_name = _("practice revision")
        verbose_name_plural = _("practice revisions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(status="pending"),
                name="experiences_practicerevision_one_pending",
                violation_error_message=_("This practice already has changes waiting."),
            ),
        ]

    def __str__(self):
        return f"{self.practice} · {self.get_status_display()}"
