"""The open API's tests reuse the practices' vocabulary fixtures and the fixed cast."""

import pytest

from tests.experiences.conftest import (  # noqa: F401  (fixtures, used by name)
    crc_article,
    draft,
    goal,
    make_practice,
    problem,
    published,
    themes,
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Most tests ask many times; test_http.py turns the limit back on where it is tested."""
    settings.API_RATE_LIMIT = 0


# Every list the open API publishes, by its path below /api/v1/.
LISTS = [
    "cities",
    "practices",
    "transfers",
    "themes",
    "goals",
    "crc-articles",
    "social-problems",
    "indicators",
    "city-problems",
    "indicator-values",
    "events",
    "funding-calls",
    "news",
    "plans",
]


def api_get(client, path, **headers):
    return client.get(f"/api/v1/{path}", **headers)


def make_transfer(practice, city, changes, published_at="now"):
    """`city` adapted `practice` (published now unless `published_at` is None), with a
    contact that must never leave the portal."""
    from django.utils import timezone

    from peers.models import Transfer

    if published_at == "now":
        published_at = timezone.now()
    return Transfer.objects.create(
        practice=practice,
        city=city,
        started_on="2024-03-01",
        changes=changes,
        results="Más familias atendidas.",
        contact_name="Laura Gómez",
        contact_email="laura@quilmes.example",
        status=Transfer.Status.DRAFT if published_at is None else Transfer.Status.PUBLISHED,
        published_at=published_at,
    )


FIXTURES = ("published", "draft", "goal", "problem", "crc_article", "themes")


@pytest.fixture
def world(db, city_a, city_b, ana, request):
    """One public row of every dataset, beside private ones that must never show: a draft
    practice, a practice in review, a draft news item, a registration with a delegate, a
    focal point with an e-mail address."""
    public_practice, draft_practice, sdg, social_problem, article, theme_rows = (
        request.getfixturevalue(name) for name in FIXTURES
    )
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from experiences.models import Practice
    from tests.events.conftest import make_event, make_registration
    from tests.factories import CityFactory, FocalPointFactory, make_funding_call
    from tests.mapping.factories import CityProblemFactory, IndicatorValueFactory
    from unit.models import LineOfWork, NewsItem, WorkPlan

    plan = WorkPlan.objects.create(
        start_year=2024, end_year=2026, title_es="Plan", title_pt_br="Plano", title_en="Plan"
    )
    line = LineOfWork.objects.create(
        plan=plan,
        number=1,
        slug="2024-ninez",
        title_es="Niñez",
        title_pt_br="Infância",
        title_en="Childhood",
    )
    public_practice.goals.set([sdg])
    public_practice.social_problems.set([social_problem])
    public_practice.crc_articles.set([article])
    public_practice.lines.set([line])
    public_practice.partner_cities.set([city_b])
    in_review = Practice.objects.get(pk=draft_practice.pk)
    in_review.pk = None
    in_review.slug, in_review.title = "en-revision", "Práctica en revisión"
    in_review.status = Practice.Status.IN_REVIEW
    in_review.save()
    event = make_event(title="Cumbre social", slug="cumbre-social", host_city=city_a)
    event.lines.set([line])
    make_registration(event, city_a, user=ana, delegates=1)
    call = make_funding_call(
        "Ciudades inclusivas",
        funder="Unión Europea",
        summary="Fondos para proyectos de inclusión social.",
        link="https://example.org/call",
    )
    call.themes.set([theme_rows["migration"]])
    yesterday = timezone.now() - datetime.timedelta(days=1)
    news, _draft_news = (
        NewsItem.objects.create(
            title=title,
            slug=slug,
            summary=summary,
            body=body,
            language="es",
            published_at=yesterday,
            is_published=is_published,
        )
        for title, slug, summary, body, is_published in [
            ("Nueva ciudad miembro", "nueva-ciudad", "Bienvenida.", "Texto.", True),
            ("Borrador de noticia", "borrador", "Aún no.", "Secreto.", False),
        ]
    )
    news.lines.set([line])
    CityProblemFactory(city=city_a, problem=social_problem, year=2023)
    IndicatorValueFactory(city=city_a, year=2023, value=Decimal("7.5"))
    FocalPointFactory(city=city_a, email="focal@quilmes.example")
    transfer = make_transfer(public_practice, city_b, "Otro horario.")
    # a draft, and a published transfer of a practice that is not published: never shown
    make_transfer(public_practice, CityFactory(slug="rosario-ar"), "Cambio en borrador", None)
    make_transfer(draft_practice, city_b, "Transferencia de un borrador")
    return {
        "transfer": transfer,
        "practice": public_practice,
        "draft": draft_practice,
        "in_review": in_review,
        "event": event,
        "call": call,
        "news": news,
        "plan": plan,
        "partner": city_b,
    }
