"""What the portal pages (home, city profile, directory, site search) read from practices.
Only published practices leave this app through here."""

from collections import Counter

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, JSONObject, NullIf, RowNumber

from core.fulltext import clean_query_text
from core.translation import language_suffix
from unit.queries import linked_by_line

from .models import CRCArticle, Practice, Theme


def published_for_city(city):
    """The city's published practices, its own and those it runs as a partner, newest
    first, with card data (city, themes) loaded."""
    return (
        Practice.objects.published()
        .for_city(city)
        .with_card_data()
        .order_by("-published_at", "-pk")
    )


def published_count_by_city(city_ids=None) -> dict[int, int]:
    """city id → number of published practices it takes part in (own or as partner);
    two queries whatever the number of cities. `city_ids` limits the count to those
    cities (a directory page), which the indexes answer without reading every practice."""
    own = Practice.objects.published()
    partners = Practice.partner_cities.through.objects.filter(
        practice__status=Practice.Status.PUBLISHED
    )
    if city_ids is not None:
        own = own.filter(city_id__in=list(city_ids))
        partners = partners.filter(city_id__in=list(city_ids))
    counts = Counter(
        dict(
            own.order_by()
            .values_list("city_id")
            .annotate(n=Count("pk"))
            .values_list("city_id", "n")
        )
    )
    partner_rows = (
        partners.order_by()
        .values_list("city_id")
        .annotate(n=Count("pk"))
        .values_list("city_id", "n")
    )
    counts.update(dict(partner_rows))
    return dict(counts)


def latest_published(limit: int = 6):
    """The most recently published practices."""
    return Practice.objects.published().with_card_data().order_by("-published_at", "-pk")[:limit]


def featured_published(limit: int = 3):
    """Practices the secretariat features, newest first."""
    return (
        Practice.objects.published()
        .filter(featured=True)
        .with_card_data()
        .order_by("-published_at", "-pk")[:limit]
    )


def search_practices(q: str, limit: int = 10):
    """Published practices matching `q` (accent-insensitive, Spanish and Portuguese
    stems), best first; each has `rank` and `headline` (render it with the `highlight`
    filter of the `practices` template library). When no word matches, titles that look
    like the words (trigram similarity, for typos) are offered instead, without a
    headline."""
    found = list(
        Practice.objects.published()
        .search(q)
        .with_card_data()
        .order_by("-rank", "-published_at", "pk")[:limit]
    )
    text = clean_query_text(q)
    if found or len(text) < 4:
        return found
    return list(
        Practice.objects.published()
        .filter(title__unaccent__trigram_word_similar=text)
        .with_card_data()
        .order_by("-published_at", "pk")[:limit]
    )


def published_for_problems(problem_ids, per_problem: int = 3) -> dict[int, list[tuple[str, str]]]:
    """problem id → up to `per_problem` (title, url) of published practices, from any city,
    that address it, newest first; one query whatever the number of problems."""
    problem_ids = list(problem_ids)
    if not problem_ids:
        return {}
    # Ranked in the database: only `per_problem` rows per problem leave it, however many
    # practices address a common problem.
    links = (
        Practice.social_problems.through.objects.filter(
            socialproblem_id__in=problem_ids,
            practice__status=Practice.Status.PUBLISHED,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("socialproblem_id"),
                order_by=[F("practice__published_at").desc(), F("practice_id").desc()],
            )
        )
        .filter(rank__lte=per_problem)
        .select_related("practice")
        .only("socialproblem_id", "practice__title", "practice__slug")
        .order_by("socialproblem_id", "rank")
    )
    result: dict[int, list[tuple[str, str]]] = {}
    for link in links:
        result.setdefault(link.socialproblem_id, []).append(
            (link.practice.title, link.practice.get_absolute_url())
        )
    return result


def home_practices(featured_limit: int = 3, latest_limit: int = 6) -> dict:
    """The home page's practices in three queries whatever their number: the latest
    published with the count of all published ones (a window over the same query, so the
    figure costs no query of its own), the featured ones, and the themes of both lists in
    one prefetch. Keys: `count`, `featured`, `latest`."""
    latest = list(
        Practice.objects.published()
        .select_related("city")
        .annotate(published_total=Window(Count("pk")))
        .order_by("-published_at", "-pk")[:latest_limit]
    )
    featured = list(
        Practice.objects.published()
        .filter(featured=True)
        .select_related("city")
        .order_by("-published_at", "-pk")[:featured_limit]
    )
    prefetch_related_objects(
        [*latest, *featured],
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name_es")),
    )
    count = latest[0].published_total if latest else 0
    return {"count": count, "featured": featured, "latest": latest}


# --- Dashboards ------------------------------------------------------------------------------


def in_progress_for(user, limit: int = 20):
    """A coordinator's drafts and practices in review (the secretariat's review queue),
    latest change first. One query."""
    return list(Practice.objects.in_progress_for(user)[:limit])


# --- The unit's plan review ------------------------------------------------------------------


def published_by_line_in_year(line_ids, year: int) -> dict[int, list[Practice]]:
    """line id → the published practices that name that line of work and were published in
    `year` (portal time zone), oldest first, each with its city. One query whatever the
    number of lines or practices; a practice naming two lines appears under both."""
    return linked_by_line(
        Practice,
        line_ids,
        filters={"status": Practice.Status.PUBLISHED, "published_at__year": year},
        related="city",
        fields=(
            "title",
            "slug",
            "language",
            "published_at",
            "is_sample",
            "city__name",
            "city__slug",
        ),
        order="published_at",
    )


def _tagged(relation: str, /, **columns) -> ArraySubquery:
    """The practice's entries of the many-to-many `relation`, in their model's order, each
    a JSON object of `columns` (names of the entry's fields, or expressions)."""
    field = Practice._meta.get_field(relation)
    model = field.related_model
    entries = model.objects.filter(**{field.related_query_name(): OuterRef("pk")})
    return ArraySubquery(entries.order_by(*model._meta.ordering).values(json=JSONObject(**columns)))


def _in_language(field: str):
    """`field` in the current language, Spanish when that one is empty (as `localized`)."""
    spanish = f"{field}_{language_suffix(settings.LANGUAGE_CODE)}"
    return Coalesce(NullIf(F(f"{field}_{language_suffix()}"), Value("")), F(spanish))


def published_with_vocabularies():
    """Published practices with their city, and their partner cities and every vocabulary
    they are tagged with as lists of JSON objects, names in the current language
    (`partner_list`, `theme_list`, `goal_list`, `article_list`, `problem_list`,
    `line_list`), for the open API: one query per page, without a prefetch per
    relation."""
    return (
        Practice.objects.published()
        .select_related("city")
        .annotate(
            partner_list=_tagged("partner_cities", slug="slug", name="name", country="country"),
            theme_list=_tagged("themes", slug="slug", name=_in_language("name")),
            goal_list=_tagged(
                "goals",
                slug="slug",
                framework="framework",
                number="number",
                name=_in_language("name"),
            ),
            article_list=_tagged("crc_articles", number="number", name=_in_language("name")),
            problem_list=_tagged("social_problems", slug="slug", name=_in_language("name")),
            line_list=_tagged("lines", slug="slug", number="number", title=_in_language("title")),
        )
    )


def vocabularies() -> dict:
    """The practices' own vocabularies (themes, articles of the Convention on the Rights of
    the Child), as querysets in their list order."""
    return {
        "themes": Theme.objects.order_by("position", "name_es"),
        "crc_articles": CRCArticle.objects.order_by("number"),
    }
