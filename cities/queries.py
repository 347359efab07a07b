"""Reads of the cities app for the portal pages (directory, profile, exports) and other apps.

Each function returns a queryset that carries its own joins, or a small value object, so the
pages run a fixed number of queries whatever the number of cities, contacts or groups.
"""

import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_countries import countries

from core.text import sort_key

from .models import (
    FOCAL_POINT_STALE_AFTER,
    City,
    FocalPoint,
    MembershipApplication,
    UnitRole,
    WorkingGroup,
)

# Role codes of the directory, the filters and the open data: a city with no role in the
# current period is a plain member of the unit.
ROLE_MEMBER = "member"
ROLE_CODES = (UnitRole.Role.COORDINATOR, UnitRole.Role.SUB_COORDINATOR, ROLE_MEMBER)

# Accented letters of Spanish and Portuguese and their plain forms, for search and sorting
# that ignore accents without PostgreSQL's `unaccent` extension.
_ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñý"
_PLAIN = "aaaaaaeeeeiiiiooooouuuucny"


def fold(text: str) -> str:
    """Lowercase, accent-free form of `text` for searching (the Python twin of `folded`);
    "n" finds "ñ". Lists sort by core.text.sort_key instead."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def folded(field_name: str) -> Func:
    """SQL expression: the column lowercased with its accents removed."""
    return Func(
        Lower(field_name),
        Value(_ACCENTED),
        Value(_PLAIN),
        function="TRANSLATE",
        output_field=CharField(),
    )


def current_role_subquery() -> Subquery:
    """The city's role in the current period (coordinator first), or NULL for a member."""
    return Subquery(
        UnitRole.objects.current().filter(city=OuterRef("pk")).order_by("role").values("role")[:1]
    )


def directory_cities(user):
    """Cities the user may see, each with `current_role`, ordered by name (accents ignored)."""
    return (
        City.objects.visible_to(user)
        .annotate(current_role=current_role_subquery())
        .defer("summary", "geonames_id", "created_at", "updated_at")
        .order_by("sort_name", "pk")
    )


def export_cities(user):
    """The directory's cities with their working groups, for the open-data files."""
    groups = WorkingGroup.objects.order_by("slug").only("slug")
    return directory_cities(user).prefetch_related(Prefetch("working_groups", queryset=groups))


def countries_present(user=None) -> list[tuple[str, str]]:
    """(code, name in the active language) of the countries that have cities, sorted by name."""
    codes = City.objects.visible_to(user).order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: sort_key(c[1]))


def order_by_country(queryset, ordered_codes):
    """Sort by the countries' names in the active language, then by city name."""
    rank = Case(
        *[When(country=code, then=Value(index)) for index, code in enumerate(ordered_codes)],
        default=Value(len(ordered_codes)),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank, "sort_name", "pk")


def order_by_population(queryset):
    """Largest first; cities with no population figure last."""
    return queryset.order_by(F("population").desc(nulls_last=True), "sort_name", "pk")


def search_by_name(queryset, text: str):
    """Cities whose name contains `text`, ignoring case and accents."""
    return queryset.alias(folded_name=folded("name")).filter(folded_name__contains=fold(text))


def filter_by_role(queryset, role: str):
    """Cities holding `role` in the current period; "member" means no coordinating role."""
    if role == ROLE_MEMBER:
        return queryset.filter(current_role__isnull=True)
    return queryset.filter(current_role=role)


@dataclass(frozen=True)
class CityProfile:
    """What the profile page shows about a city besides its own columns."""

    city: City
    roles: list[UnitRole]
    current_roles: list[UnitRole]
    working_groups: list[WorkingGroup]
    focal_points: list[FocalPoint] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def current_role(self) -> str:
        return self.current_roles[0].role if self.current_roles else ROLE_MEMBER


def rows_of(queryset, *fields: str):
    """An annotation: `queryset`'s rows as a list of {field: value} (JSON), in its order; read
    back as model instances with `rebuild`. Lets a page read several short lists in one
    query."""
    return ArraySubquery(queryset.values(row=JSONObject(**{name: name for name in fields})))


def rebuild(model, rows) -> list:
    """Model instances (not saved, read-only use) from the rows of `rows_of`."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    objects = []
    for row in rows or []:
        values = {
            name: fields[name].to_python(value) for name, value in row.items() if name in fields
        }
        instance = model(**values)
        instance._state.adding, instance._state.db = False, "default"  # as if read
        for name, value in row.items():  # annotations such as `is_current`
            if name not in fields:
                setattr(instance, name, value)
        objects.append(instance)
    return objects


ROLE_FIELDS = ("id", "city_id", "role", "from_year", "to_year", "source_url", "is_current")
GROUP_FIELDS = (
    "id",
    "slug",
    "kind",
    "name_es",
    "name_pt_br",
    "name_en",
    "description_es",
    "description_pt_br",
    "description_en",
)


def city_profile(city: City, *, with_contacts: bool, extra: dict | None = None) -> CityProfile:
    """Roles by period, working groups and (only when asked) focal points, in one query.

    `with_contacts` must come from `cities.permissions.can_see_contacts`: contacts are not
    even read for the public. `extra` ({name: expression on the city}) lets the page read
    other apps' short lists in the same query; their values land in `CityProfile.extra`.
    """
    current = UnitRole.objects.current().filter(pk=OuterRef("pk"))
    roles = (
        UnitRole.objects.filter(city=OuterRef("pk"))
        .annotate(is_current=Exists(current))
        .order_by("-from_year", "role")
    )
    groups = WorkingGroup.objects.filter(cities=OuterRef("pk")).order_by()
    annotations = {
        "roles_rows": rows_of(roles, *ROLE_FIELDS),
        "group_rows": rows_of(groups, *GROUP_FIELDS),
        **(extra or {}),
    }
    if with_contacts:
        contact_fields = [field.attname for field in FocalPoint._meta.concrete_fields]
        contacts = FocalPoint.objects.filter(city=OuterRef("pk")).order_by(
            *FocalPoint._meta.ordering or ["pk"]
        )
        annotations["contact_rows"] = rows_of(contacts, *contact_fields)
    row = City.objects.filter(pk=city.pk).annotate(**annotations).values(*annotations).get()
    roles = rebuild(UnitRole, row["roles_rows"])
    groups = sorted(
        rebuild(WorkingGroup, row["group_rows"]),
        key=lambda group: (group.kind, sort_key(group.name)),
    )
    return CityProfile(
        city=city,
        roles=roles,
        current_roles=[role for role in roles if role.is_current],
        working_groups=groups,
        focal_points=rebuild(FocalPoint, row.get("contact_rows")),
        extra={name: row[name] for name in extra or {}},
    )


# --- The unit's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Coordination:
    """The unit's coordination in `year`: the roles whose period covers it (`is_current`),
    or, when none does, the latest roles known before it, with their years."""

    year: int
    roles: list[UnitRole]
    is_current: bool

    @property
    def period(self) -> str:
        return self.roles[0].period if self.roles else ""


def coordination_in(year: int | None = None) -> Coordination:
    """The coordination of `year` (default: today's), coordinators first. One query."""
    year = timezone.localdate().year if year is None else year
    known = list(
        UnitRole.objects.filter(from_year__lte=year)
        .select_related("city")
        .order_by("-from_year", "role", "city__sort_name", "pk")
    )
    covering = [role for role in known if role.covers(year)]
    if covering:
        covering.sort(key=lambda role: role.role)  # coordinators first, stable by name
        return Coordination(year=year, roles=covering, is_current=True)
    latest = [role for role in known if role.from_year == known[0].from_year] if known else []
    return Coordination(year=year, roles=latest, is_current=False)


def current_coordination() -> list[UnitRole]:
    """The roles of the current period with their cities, the coordinator first. One query."""
    return list(
        UnitRole.objects.current().select_related("city").order_by("role", "city__sort_name")
    )


def unit_groups() -> list[WorkingGroup]:
    """The working groups, then the related thematic units, each by name in the active
    language, with `city_count` (the cities taking part). One query."""

    groups = WorkingGroup.objects.annotate(city_count=Count("cities"))
    return sorted(
        groups,
        key=lambda group: (group.kind != WorkingGroup.Kind.WORKING_GROUP, sort_key(group.name)),
    )


def group_with_cities(slug: str) -> tuple[WorkingGroup, list[City]]:
    """A working group (or related thematic unit) by slug, with its cities in the one order
    of every city list; Http404 when there is none. Two queries."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    return group, list(group.cities.order_by("sort_name", "pk"))


# --- Dashboards ------------------------------------------------------------------------------


def dashboard_cities(user, **annotations) -> list[City]:
    """The cities `user` coordinates, by name, with `focal_point_count`, `stale_focal_count`
    and the callers' extra `annotations` (other apps' per-city expressions). One query."""

    stale_before = timezone.localdate() - FOCAL_POINT_STALE_AFTER
    return list(
        City.objects.coordinated_by(user)
        .annotate(
            focal_point_count=Count("focal_points", distinct=True),
            stale_focal_count=Count(
                "focal_points",
                filter=Q(focal_points__last_confirmed_on__lt=stale_before),
                distinct=True,
            ),
            **annotations,
        )
        .order_by("sort_name", "pk")
    )


def stale_focal_points(cities) -> list[FocalPoint]:
    """The focal points of `cities` nobody has confirmed for a year, by city. One query."""

    stale_before = timezone.localdate() - FOCAL_POINT_STALE_AFTER
    return list(
        FocalPoint.objects.filter(city__in=cities, last_confirmed_on__lt=stale_before)
        .select_related("city")
        .order_by("city__sort_name", "name")
    )


def member_cities_with(**annotations) -> list[City]:
    """Member cities by country and name, with the callers' per-city `annotations`. One query."""
    return list(
        City.objects.members().annotate(**annotations).order_by("country", "sort_name", "pk")
    )


def pending_applications():
    """Membership applications still waiting for a decision."""
    return MembershipApplication.objects.filter(status__in=MembershipApplication.PENDING)


def pending_application_count() -> int:
    """Membership applications still waiting for a decision. One query."""

    return pending_applications().count()


def participation_figures() -> dict:
    """The secretariat's key figures: member cities, those with a coordinator, those with
    contacts to confirm, and pending applications. Two queries."""

    stale_before = timezone.localdate() - FOCAL_POINT_STALE_AFTER
    members = City.objects.members().aggregate(
        total=Count("id", distinct=True),
        coordinated=Count("id", filter=Q(coordinators__isnull=False), distinct=True),
        stale=Count(
            "id", filter=Q(focal_points__last_confirmed_on__lt=stale_before), distinct=True
        ),
    )
    return {**members, "pending_applications": pending_application_count()}


# --- The unit's plan review ------------------------------------------------------------------


def unit_roles_in_year(year: int) -> list[UnitRole]:
    """The coordinating and sub-coordinating cities whose period (from_year..to_year, open
    while to_year is empty) covers `year`: coordinators first, then by city name. One query."""

    return list(
        UnitRole.objects.filter(Q(to_year__isnull=True) | Q(to_year__gte=year), from_year__lte=year)
        .select_related("city")
        .order_by("role", "city__sort_name", "pk")
    )
