"""Social problems, development goals, indicators, and each city's problems and values."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import optional_link
from core.translation import LocalizedNameMixin, localized, localized_fields

# Years the database accepts for problems and values (the forms narrow it to next year).
YEAR_RANGE = (1990, 2100)


def year_range_message() -> str:
    return _("The year must be between %(first)s and %(last)s.") % {
        "first": YEAR_RANGE[0],
        "last": YEAR_RANGE[1],
    }


class DevelopmentGoal(LocalizedNameMixin, models.Model):
    """A Millennium (MDG 1–8) or Sustainable (SDG 1–17) Development Goal."""

    class Framework(models.TextChoices):
        MDG = "mdg", _("Millennium Development Goals")
        SDG = "sdg", _("Sustainable Development Goals")

    framework = models.CharField(_("framework"), max_length=3, choices=Framework)
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), unique=True)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "short title", max_length=120)
    title_es, title_pt_br, title_en = localized_fields(
        models.CharField, "official title", max_length=300
    )
    colour = models.CharField(_("colour"), max_length=7, blank=True, help_text=_("e.g. #E5243B"))

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="mapping_developmentgoal_framework_number"
            ),
            models.CheckConstraint(
                condition=Q(framework="mdg", number__gte=1, number__lte=8)
                | Q(framework="sdg", number__gte=1, number__lte=17),
                name="mapping_developmentgoal_number_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def code(self) -> str:
        return f"{self.framework.upper()} {self.number}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class SocialProblem(LocalizedNameMixin, models.Model):
    """An entry of the shared catalogue of social-development problems."""

    class Category(models.TextChoices):
        POVERTY = "poverty", _("poverty and income")
        WORK = "work", _("work and employment")
        EDUCATION = "education", _("education")
        CHILDHOOD = "childhood", _("childhood and adolescence")
        HOUSING = "housing", _("housing and habitat")
        FOOD = "food", _("food and nutrition")
        HEALTH = "health", _("health")
        VIOLENCE = "violence", _("violence and security")
        INCLUSION = "inclusion", _("inclusion and diversity")

    slug = models.SlugField(_("slug"), unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "name", max_length=150)
    description_es, description_pt_br, description_en = localized_fields(
        models.TextField, "description", blank=True
    )
    goals = models.ManyToManyField(
        DevelopmentGoal, verbose_name=_("related goals"), blank=True, related_name="problems"
    )

    class Meta:
        verbose_name = _("social problem")
        verbose_name_plural = _("social problems")
        ordering = ["category", "name_es"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("mapping:problem", kwargs={"slug": self.slug})


class CityProblemQuerySet(models.QuerySet):
    def for_city(self, city):
        return self.filter(city=city)

    def with_card_data(self):
        return self.select_related("problem", "city")

    def latest_year_of_city(self, city):
        """The city's problems for the most recent year it reported (one query)."""
        latest = CityProblem.objects.filter(city=city).order_by("-year").values("year")[:1]
        return self.filter(city=city, year=models.Subquery(latest))


class CityProblem(models.Model):
    """A problem in a city's social profile for a year, with its priority (1 = highest)."""

    city = models.ForeignKey(
        "cities.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="problems"
    )
    problem = models.ForeignKey(
        SocialProblem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="cities"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), help_text=_("1 (most pressing) to 5 (least pressing).")
    )
    affected_population = models.PositiveIntegerField(
        _("affected population"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Set on demonstration rows.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # who changed or removed the entry, when, and what it was: the secretariat restores a
    # removed one from mapping/admin.py
    history = HistoricalRecords(verbose_name=_("historical city problem"))

    objects = CityProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("city problem")
        verbose_name_plural = _("city problems")
        ordering = ["city__name", "-year", "priority"]
        indexes = [
            # the joint map reads one year across every city
            models.Index(fields=["year", "priority"], name="mapping_cityproblem_year"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "problem", "year"], name="mapping_cityproblem_city_problem_year"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5),
                name="mapping_cityproblem_priority_range",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="mapping_cityproblem_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.problem} · {self.year}"

    def clean(self):
        # Readable twins of the check constraints above.
        errors = {}
        if self.priority is not None and not 1 <= self.priority <= 5:
            errors["priority"] = _("The priority goes from 1 (most pressing) to 5.")
        if self.year is not None and not YEAR_RANGE[0] <= self.year <= YEAR_RANGE[1]:
            errors["year"] = year_range_message()
        if errors:
            raise ValidationError(errors)


# The fixed list of breakdowns: (code, es, pt-br, en, other spellings met in the data). The
# data migration (0005) creates the rows from it; the other spellings are matched, like the
# code and the three labels, without regard to case, accents or punctuation.
BREAKDOWNS = [
    ("total", "Total", "Total", "Total", ["todos", "todas", "all", "general", "geral"]),
    (
        "women",
        "Mujeres",
        "Mulheres",
        "Women",
        ["mujer", "mulher", "female", "females", "woman", "femenino", "feminino", "f"],
    ),
    (
        "men",
        "Varones",
        "Homens",
        "Men",
        ["hombres", "hombre", "varon", "homem", "male", "males", "man", "masculino", "m"],
    ),
    ("age_0_14", "0 a 14 años", "0 a 14 anos", "Age 0–14", ["age 0-14", "0-14", "0 14"]),
    ("age_15_24", "15 a 24 años", "15 a 24 anos", "Age 15–24", ["age 15-24", "15-24", "15 24"]),
    ("age_25_64", "25 a 64 años", "25 a 64 anos", "Age 25–64", ["age 25-64", "25-64", "25 64"]),
    (
        "age_65_plus",
        "65 años y más",
        "65 anos ou mais",
        "Age 65 and over",
        ["age 65+", "65+", "65 y mas", "65 e mais", "65 plus", "65 and over", "65 or more"],
    ),
]
# Indicators named "… by sex …" are kept for women and men; "… by … age …" for the age groups.
SEX_BREAKDOWNS = ("women", "men")
AGE_BREAKDOWNS = ("age_0_14", "age_15_24", "age_25_64", "age_65_plus")


def breakdown_key(text: str) -> str:
    """`text` without case, accents, dashes or underscores: "Mujeres" → "mujeres",
    "Age 0–14" → "age 0 14"."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9+]+", " ", plain.lower()).split())


def breakdown_spellings(breakdowns) -> dict[str, str]:
    """Every accepted spelling (as `breakdown_key`) → code: the code, the label in each
    language and the other spellings of BREAKDOWNS, for the given Breakdown rows."""
    others = {code: aliases for code, *_labels, aliases in BREAKDOWNS}
    spellings = {}
    for row in breakdowns:
        for text in (row.code, row.name_es, row.name_pt_br, row.name_en, *others.get(row.code, ())):
            spellings.setdefault(breakdown_key(text), row.code)
    spellings[""] = "total"
    return spellings


def default_breakdowns_for(name_en: str) -> list[str]:
    """The breakdowns an indicator is reported in besides the total, read from its
    official English name ("… by sex and age")."""
    name = name_en.lower()
    by = name.split(" by ", 1)[1] if " by " in name else ""
    codes = []
    if "sex" in by:
        codes += SEX_BREAKDOWNS
    if "age" in by:
        codes += AGE_BREAKDOWNS
    return codes


class Breakdown(LocalizedNameMixin, models.Model):
    """A group a value can be reported for: the total, women, men, an age group."""

    TOTAL = "total"

    code = models.SlugField(_("code"), max_length=20, primary_key=True)
    name_es, name_pt_br, name_en = localized_fields(models.CharField, "name", max_length=80)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)

    class Meta:
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def with_card_data(self):
        return self.select_related("goal")

    def with_breakdowns(self):
        """Prefetch what `Indicator.grid_breakdowns` reads (two queries for any number)."""
        return self.prefetch_related("breakdowns")

    def with_coverage(self):
        """Annotate `city_count` and `latest_year` of the values in the "total" breakdown."""
        totals = Q(values__breakdown=IndicatorValue.TOTAL)
        return self.annotate(
            city_count=models.Count("values__city", filter=totals, distinct=True),
            latest_year=models.Max("values__year", filter=totals),
        )


class IndicatorKind(models.TextChoices):
    """What an indicator's number is, which decides the values it can take."""

    PERCENTAGE = "percentage", _("percentage")
    RATE = "rate", _("rate")
    AMOUNT = "amount", _("amount")
    COUNT = "count", _("count")
    INDEX = "index", _("index")
    GROWTH = "growth", _("growth rate")


def kind_and_range_for_unit(unit: str) -> tuple[str, Decimal | None, Decimal | None, bool]:
    """(kind, minimum, maximum, whole number) read from a unit as the reference data writes
    it (data/reference/indicators/indicator_definitions.csv, column `unit`): "% annual
    growth" may be negative; any other "%…" runs 0–100; "… per 100,000 …" is a rate of at
    least 0; "index 0-1" and "index 0-100" keep their scale; "number of …" counts whole
    numbers; a currency is an amount of at least 0. See data/reference/SOURCES.md."""
    text = unit.strip().lower()
    if "growth" in text or "crecimiento" in text or "crescimento" in text:
        return IndicatorKind.GROWTH, None, None, False
    if text.startswith("%") or text.startswith("percent"):
        return IndicatorKind.PERCENTAGE, Decimal(0), Decimal(100), False
    if scale := re.match(r"index 0-(\d+)", text):
        return IndicatorKind.INDEX, Decimal(0), Decimal(scale[1]), False
    if re.search(r"\bper [0-9]", text):
        return IndicatorKind.RATE, Decimal(0), None, False
    if text.startswith(("number", "count", "persons", "people")):
        return IndicatorKind.COUNT, Decimal(0), None, True
    return IndicatorKind.AMOUNT, Decimal(0), None, False


def _plain_number(number) -> str:
    """A bound or value in the user's language, without trailing zeros ("0,5", "100")."""
    number = Decimal(number)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number)


class Indicator(LocalizedNameMixin, models.Model):
    """A socio-economic indicator the cities report, with its unit and definition."""

    slug = models.SlugField(_("slug"), unique=True)
    code = models.CharField(_("code"), max_length=40, blank=True)
    name_es, name_pt_br, name_en = localized_fields(
        models.CharField, "name", max_length=500, optional=("pt-br",)
    )
    description_es, description_pt_br, description_en = localized_fields(
        models.TextField, "definition", blank=True
    )
    unit = models.CharField(_("unit"), max_length=120)
    goal = optional_link(DevelopmentGoal, _("related goal"), related_name="indicators")
    problems = models.ManyToManyField(
        SocialProblem, verbose_name=_("related problems"), blank=True, related_name="indicators"
    )
    category = models.CharField(
        _("theme"),
        max_length=20,
        choices=SocialProblem.Category,
        blank=True,
        help_text=_("Groups the indicator with the problems of the same theme."),
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=False)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    kind = models.CharField(
        _("kind"), max_length=12, choices=IndicatorKind, default=IndicatorKind.AMOUNT
    )
    min_value = models.DecimalField(
        _("minimum"),
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("The lowest value accepted; empty for no minimum (a growth rate)."),
    )
    max_value = models.DecimalField(
        _("maximum"),
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("The highest value accepted; empty for no maximum."),
    )
    whole_number = models.BooleanField(
        _("whole numbers only"), default=False, help_text=_("For counts of people or places.")
    )
    breakdowns = models.ManyToManyField(
        Breakdown,
        verbose_name=_("breakdowns"),
        blank=True,
        related_name="indicators",
        help_text=_("The groups the profile asks for besides the total."),
    )
    source = models.CharField(_("source of the definition"), max_length=300, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimals__lte=6), name="mapping_indicator_decimals_range"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="mapping_indicator_min_below_max",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("mapping:indicator", kwargs={"slug": self.slug})

    def grid_breakdowns(self) -> list[str]:
        """The codes of the breakdowns the profile asks for: the total, then the indicator's
        others in list order (no query when fetched `with_breakdowns()`)."""
        others = sorted(
            (b for b in self.breakdowns.all() if b.code != Breakdown.TOTAL),
            key=lambda b: (b.position, b.code),
        )
        return [Breakdown.TOTAL, *(b.code for b in others)]

    def clean(self):
        # Readable twin of the min-below-max check constraint.
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValidationError({"max_value": _("The maximum must not be below the minimum.")})

    def range_label(self) -> str:
        """The accepted values in words: "0 to 100", "0 or more", "any number"."""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            text = _("%(min)s to %(max)s")
        elif low is not None:
            text = _("%(min)s or more")
        elif high is not None:
            text = _("%(max)s or less")
        else:
            text = _("any number")
        return text % {
            "min": "" if low is None else _plain_number(low),
            "max": "" if high is None else _plain_number(high),
        }

    def check_value(self, value) -> None:
        """Raise ValidationError, naming the range, when `value` is outside it."""
        if value is None:
            return
        value = Decimal(value)
        names = {
            "value": _plain_number(value),
            "range": self.range_label(),
            "kind": self.get_kind_display(),
        }
        too_low = self.min_value is not None and value < self.min_value
        too_high = self.max_value is not None and value > self.max_value
        if too_low or too_high:
            raise ValidationError(
                _("%(value)s is outside the range of this indicator: %(range)s (%(kind)s).")
                % names,
                code="out_of_range",
            )
        if self.whole_number and value != value.to_integral():
            raise ValidationError(
                _("%(value)s is not a whole number; this indicator counts (%(kind)s).") % names,
                code="not_whole",
            )


class IndicatorValueQuerySet(models.QuerySet):
    def totals(self):
        """Values that are not broken down by sex or age."""
        return self.filter(breakdown=IndicatorValue.TOTAL)

    def for_city(self, city):
        return self.filter(city=city)

    def with_card_data(self):
        return self.select_related("city", "indicator")


class IndicatorValue(models.Model):
    """One number: a city's indicator for a year, possibly broken down by sex or age."""

    TOTAL = "total"

    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    breakdown = models.ForeignKey(
        Breakdown,
        verbose_name=_("breakdown"),
        on_delete=models.PROTECT,
        related_name="values",
        default=TOTAL,
        null=True,
        blank=True,
        help_text=_("Empty only for a group of the old free text that matched no breakdown."),
    )
    unmapped_breakdown = models.CharField(
        _("unmapped breakdown"),
        max_length=40,
        blank=True,
        help_text=_("The text given for a group that is not on the list of breakdowns."),
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=6)
    source = models.CharField(_("source"), max_length=300)
    is_sample = models.BooleanField(_("sample data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historical indicator value"))

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "city__name", "year", "breakdown"]
        indexes = [
            models.Index(fields=["indicator", "year"], name="mapping_value_indicator_year"),
            # the open API's list: latest year first, then by key (utds/api/mapping.py)
            models.Index(fields=["-year", "id"], name="mapping_value_year_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator", "year", "breakdown"],
                name="mapping_indicatorvalue_key",
            ),
            models.UniqueConstraint(
                fields=["city", "indicator", "year", "unmapped_breakdown"],
                condition=Q(breakdown__isnull=True),
                name="mapping_indicatorvalue_unmapped_key",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100),
                name="mapping_indicatorvalue_year_range",
            ),
            # a value has a breakdown of the list, or keeps the text that matched none
            models.CheckConstraint(
                condition=Q(breakdown__isnull=False, unmapped_breakdown="")
                | (Q(breakdown__isnull=True) & ~Q(unmapped_breakdown="")),
                name="mapping_indicatorvalue_breakdown_or_unmapped",
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.indicator} · {self.year}: {self.value}"

    def clean(self):
        # Readable twin of the year check constraint above, and the indicator's range (a
        # rule across two tables, so no database constraint can keep it).
        errors = {}
        if self.year is not None and not YEAR_RANGE[0] <= self.year <= YEAR_RANGE[1]:
            errors["year"] = year_range_message()
        if self.indicator_id is not None and self.value is not None:
            try:
                self.indicator.check_value(self.value)
            except ValidationError as error:
                errors["value"] = error.messages
        # Twin of the breakdown-or-unmapped check: choosing a breakdown for an unmapped
        # value settles it (its history keeps the old text).
        if self.breakdown_id is not None:
            self.unmapped_breakdown = ""
        elif not self.unmapped_breakdown:
            errors["breakdown"] = _("Choose a breakdown.")
        if errors:
            raise ValidationError(errors)
