"""A city's social profile for one year as one form: every indicator × its breakdowns, and
the year's problems (the page /mapping/cities/<slug>/profile/<year>/).

`ProfileGrid` builds one small form per row, checks them together and turns what changed
into the entries `services.city_profile_save` stores in one transaction. Each row carries the
version (last change) of the stored row it was filled from, and Django's hidden initial
values, so that only the rows the person changed are written and a row changed by someone
else meanwhile is refused rather than overwritten.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext

from cities.queries import fold
from core.numbers import parse_int
from core.translation import language_suffix

from .forms import ProblemRowForm, ValueCellForm, value_text, version_of
from .models import Breakdown, CityProblem, Indicator, IndicatorValue, SocialProblem
from .services import ProblemEntry, ValueEntry

NEW_PROBLEM_ROWS = 2  # blank problem rows offered; "Add a problem row" adds one more
MAX_NEW_PROBLEM_ROWS = 30


# --- The grid ------------------------------------------------------------------------------


@dataclass
class ValueRow:
    indicator: Indicator
    breakdown: str  # the Breakdown's code
    breakdown_label: str
    stored: IndicatorValue | None
    form: ValueCellForm

    @property
    def label(self) -> str:
        return f"{self.indicator.name} · {self.breakdown_label}"


@dataclass
class ProblemRow:
    stored: CityProblem | None
    form: ProblemRowForm
    number: int = 0  # of a new row: 1, 2…

    @property
    def problem_name(self) -> str:
        return self.stored.problem.name if self.stored else ""

    @property
    def label(self) -> str:
        """The row's name in labels and in the error summary."""
        return self.problem_name or gettext("New problem %(n)s") % {"n": self.number}


@dataclass(frozen=True)
class Replacement:
    """A stored figure that saving replaces, shown "old → new" before it is saved."""

    label: str
    old: str
    new: str
    old_source: str
    new_source: str


@dataclass
class ErrorLink:
    anchor: str
    label: str
    message: str


@dataclass
class ProfileGrid:
    city: object
    year: int
    value_rows: list[ValueRow] = field(default_factory=list)
    problem_rows: list[ProblemRow] = field(default_factory=list)
    new_rows: int = NEW_PROBLEM_ROWS

    @property
    def value_groups(self) -> list[list[ValueRow]]:
        """The value rows, one group per indicator (one table body each)."""
        groups = []
        for row in self.value_rows:
            if not groups or groups[-1][0].indicator != row.indicator:
                groups.append([])
            groups[-1].append(row)
        return groups

    @property
    def forms(self):
        return [row.form for row in self.value_rows] + [row.form for row in self.problem_rows]

    def is_valid(self) -> bool:
        checked = [form.is_valid() for form in self.forms]  # every form, for every error
        return self._check_new_problems() and all(checked)

    def _check_new_problems(self) -> bool:
        taken = {row.stored.problem_id for row in self.problem_rows if row.stored}
        ok = True
        for row in self.problem_rows:
            form = row.form
            problem = row.stored is None and form.is_valid() and form.cleaned_data.get("problem")
            if not problem:
                continue
            if problem.pk in taken:
                message = gettext("%(problem)s is already listed for %(year)s.") % {
                    "problem": problem.name,
                    "year": self.year,
                }
                form.add_error("problem", message)
                ok = False
            taken.add(problem.pk)
        return ok

    def errors(self) -> list[ErrorLink]:
        """Every wrong cell with a link to it, for the summary at the top of the page."""
        links = []
        for row in self.value_rows:
            for name, errors in row.form.errors.items():
                for message in errors:
                    links.append(ErrorLink(row.form[name].auto_id, row.label, message))
        for row in self.problem_rows:
            for name, errors in row.form.errors.items():
                for message in errors:
                    links.append(ErrorLink(row.form[name].auto_id, row.label, message))
        return links

    def value_changes(self) -> list[ValueRow]:
        return [row for row in self.value_rows if row.form.is_change]

    def problem_changes(self) -> list[ProblemRow]:
        return [row for row in self.problem_rows if row.form.is_change]

    def value_entries(self) -> list[ValueEntry]:
        """What `services.city_profile_save` stores for the changed value cells."""
        return [
            ValueEntry(
                indicator=row.indicator,
                breakdown=row.breakdown,
                value=row.form.cleaned_data["number"],
                source=row.form.cleaned_data["source"],
                version=row.form.cleaned_data["version"],
            )
            for row in self.value_changes()
        ]

    def problem_entries(self) -> list[ProblemEntry]:
        """What `services.city_profile_save` stores for the changed problem rows."""
        entries = []
        for row in self.problem_changes():
            data = row.form.cleaned_data
            entries.append(
                ProblemEntry(
                    problem=row.stored.problem if row.stored else data["problem"],
                    priority=data["priority"],
                    affected_population=data["affected_population"],
                    notes=data["notes"],
                    source=data["source"],
                    version=data["version"],
                )
            )
        return entries

    def replacements(self) -> list[Replacement]:
        """The stored figures that saving would replace (after `is_valid()`)."""
        found = []
        for row in self.value_changes():
            old, data = row.stored, row.form.cleaned_data
            if old is not None:
                texts = value_text(old.value), value_text(data["number"])
                found.append(Replacement(row.label, *texts, old.source, data["source"]))
        for row in self.problem_changes():
            old, data = row.stored, row.form.cleaned_data
            if old is not None:
                texts = (
                    _problem_text(old.priority, old.affected_population),
                    _problem_text(data["priority"], data["affected_population"]),
                )
                found.append(Replacement(row.label, *texts, old.source, data["source"]))
        return found


def _problem_text(priority, population) -> str:
    text = gettext("priority %(priority)s") % {"priority": priority}
    if population is not None:
        text += " · " + gettext("%(people)s people") % {"people": number_format(population)}
    return text


def breakdowns_of(indicator, values, positions) -> list[str]:
    """The breakdown codes of an indicator in the grid: the total and the breakdowns the
    indicator is reported in, then any other the city has a value for (`positions`: code →
    its place in the list)."""
    codes = indicator.grid_breakdowns()
    others = {v.breakdown_id for v in values if v.indicator_id == indicator.pk} - set(codes)
    return [*codes, *sorted(others, key=lambda code: (positions.get(code, 0), code))]


@dataclass(frozen=True)
class StoredProfile:
    indicators: list[Indicator]
    values: list[IndicatorValue]
    problems: list[CityProblem]
    breakdowns: dict[str, Breakdown]  # code → Breakdown

    def rows(self):
        """(indicator, breakdown code, stored value or None) for every cell of the grid."""
        stored = {(v.indicator_id, v.breakdown_id): v for v in self.values}
        positions = {code: b.position for code, b in self.breakdowns.items()}
        for indicator in self.indicators:
            for code in breakdowns_of(indicator, self.values, positions):
                yield indicator, code, stored.get((indicator.pk, code))


def stored_profile(city, year) -> StoredProfile:
    """The indicators (by theme and name) with their breakdowns, the list of breakdowns and
    the city's values and problems of the year (five queries). Values whose old free-text
    group matched no breakdown wait for the secretariat and are not part of the grid."""
    suffix = language_suffix()
    indicators = sorted(
        Indicator.objects.with_breakdowns().order_by(),
        key=lambda i: (i.category or "~", fold(getattr(i, f"name_{suffix}") or i.name_es)),
    )
    values = IndicatorValue.objects.filter(city=city, year=year, breakdown__isnull=False)
    problems = (
        CityProblem.objects.filter(city=city, year=year)
        .select_related("problem")
        .order_by("priority", f"problem__name_{suffix}")
    )
    return StoredProfile(
        indicators=indicators,
        values=list(values.order_by()),
        problems=list(problems),
        breakdowns={b.code: b for b in Breakdown.objects.all()},
    )


def build_grid(city, year, data=None) -> ProfileGrid:
    """The grid of the city's year, bound to `data` (a POST) when given. Six queries."""
    stored = stored_profile(city, year)
    grid = ProfileGrid(city=city, year=year)
    for indicator, code, value in stored.rows():
        prefix = f"v{indicator.pk}-{code}"
        form = ValueCellForm(data, prefix=prefix, indicator=indicator, stored=value)
        label = stored.breakdowns[code].name if code in stored.breakdowns else code
        grid.value_rows.append(ValueRow(indicator, code, label, value, form))
    for entry in stored.problems:
        form = ProblemRowForm(data, prefix=f"p{entry.problem_id}", stored=entry)
        grid.problem_rows.append(ProblemRow(entry, form))
    grid.new_rows = _new_row_count(data)
    choices = SocialProblem.objects.order_by(f"name_{language_suffix()}")
    for number in range(grid.new_rows):
        form = ProblemRowForm(data, prefix=f"new{number}", problems=choices)
        grid.problem_rows.append(ProblemRow(None, form, number=number + 1))
    return grid


def _new_row_count(data) -> int:
    count = parse_int((data or {}).get("new_rows"), default=NEW_PROBLEM_ROWS, min_value=0)
    if data is not None and "add_row" in data:
        count += 1
    return min(count, MAX_NEW_PROBLEM_ROWS)


# Submit buttons and the token: not part of the data carried to the confirmation step.
NOT_CARRIED = {"csrfmiddlewaretoken", "confirm", "back", "add_row"}


def carried(data) -> list[tuple[str, str]]:
    """The submitted fields, as (name, value) pairs for the hidden inputs of the
    confirmation step, which posts them again."""
    return [
        (name, value)
        for name, values in data.lists()
        if name not in NOT_CARRIED
        for value in values
    ]


def key_prefix(key) -> str:
    """The form prefix of a row of the grid, from its key in StaleProfileError."""
    if key[0] == "problem":
        return f"p{key[1]}"
    return f"v{key[1]}-{key[2]}"


def refreshed(data, stale):
    """A copy of the submitted `data` in which the rows changed meanwhile by someone else
    (`StaleProfileError.stale`) carry their current version and stored figures as the page's
    starting point, while every typed value stays: saving again then replaces them knowingly
    (with the "old → new" confirmation)."""
    data = data.copy()
    for key, row in stale:
        prefix = key_prefix(key)
        data[f"{prefix}-version"] = version_of(row)
        if key[0] == "problem":
            names = ("priority", "affected_population", "notes", "source")
        else:
            names = ("value", "source")
        for name in names:
            current = "" if row is None else getattr(row, name)
            if name == "value" and row is not None:
                current = value_text(current)
            current = "" if current is None else str(current)
            data[f"initial-{prefix}-{name}"] = current
            data.setdefault(f"{prefix}-{name}", current)
    return data


@dataclass(frozen=True)
class StaleRow:
    label: str
    now: str  # the current figure, or "" when the row was removed
    source: str


def describe_stale(grid: ProfileGrid, stale) -> list[StaleRow]:
    """The rows changed meanwhile (`StaleProfileError.stale`) in words, for the 409 page."""
    labels = {}
    for row in grid.value_rows:
        labels[("value", row.indicator.pk, row.breakdown)] = row.label
    for row in grid.problem_rows:
        problem = row.stored.problem if row.stored else row.form.cleaned_data.get("problem")
        if problem is not None:
            labels[("problem", problem.pk)] = problem.name
    described = []
    for key, row in stale:
        if row is None:
            now = ""
        elif key[0] == "problem":
            now = _problem_text(row.priority, row.affected_population)
        else:
            now = value_text(row.value)
        described.append(StaleRow(labels.get(key, ""), now, row.source if row else ""))
    return described
