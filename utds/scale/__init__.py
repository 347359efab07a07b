"""A synthetic network at scale, for load tests: `seed_demo --scale N [--seed S]`.

On top of the real member cities and the demo vocabularies it adds, at N = 1, about
400 synthetic cities ("Synthetic city 0001", slug `synthetic-0001`, summary and population
source saying so), 20,000 practices (`[Sintético] …`, slug `synthetic-practice-00001`,
`is_sample`) with themes, goals, problems, CRC articles, partner cities and lines of the
2012 plan, 60,000 city problems and 240,000 indicator values of the synthetic cities
(`is_sample`, source "Synthetic data …"), and 1,000 events (`synthetic-event-0001`) with
10,000 registrations. Fractional N scales every count (N = 0.1 for a quick run).

Deterministic: every choice comes from `random.Random(seed)`; dates are relative to today.
Repeatable: each run first deletes the synthetic rows of the previous run (matched by their
slug prefixes and by their cities), then generates afresh, so nothing is duplicated and a
new N replaces the old size. Real cities and the demo samples are never touched, apart
from being chosen as partners, hosts or registered cities of synthetic rows.

Rows go in with bulk_create (cities, practices, events, registrations) and COPY (the many
m2m links, problems and values) in bounded batches; the practices' search vectors are
filled by one UPDATE at the end, and the tables are analysed for the planner.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from cities.models import City, WorkingGroup
from core.fulltext import config_for_row
from events.models import TIME_ZONE_CHOICES, Event, Registration
from experiences.models import CRCArticle, Practice, PracticeAttachment, Theme
from experiences.search import vector_expression
from mapping.models import CityProblem, DevelopmentGoal, Indicator, IndicatorValue, SocialProblem
from unit.models import LineOfWork

# Counts at N = 1.
CITIES = 400
PRACTICES = 20_000
EVENTS = 1_000
PROBLEMS_PER_CITY = 150  # 400 × 150 = 60,000
VALUES_PER_CITY = 600  # 400 × 600 = 240,000
REGISTRATIONS_PER_EVENT = 10  # 1,000 × 10 = 10,000
MAX_SCALE = 20  # bounded: N = 20 is already 400,000 practices

CITY_SLUG = "synthetic-"
CITY_NAME = "Synthetic city"
PRACTICE_SLUG = "synthetic-practice-"
EVENT_SLUG = "synthetic-event-"
SOURCE = "Synthetic data (seed_demo --scale), not real figures"
PROBLEM_YEARS = range(2015, 2025)
VALUE_YEARS = range(2010, 2025)
SEXES = ("female", "male")
BATCH = 1_000
COPY_BATCH = 20_000

CURRENCIES = {
    "AR": "ARS",
    "BR": "BRL",
    "UY": "UYU",
    "PY": "PYG",
    "CL": "CLP",
    "BO": "BOB",
    "PE": "PEN",
    "CO": "COP",
}
# Written language of a synthetic practice: (language, weight).
LANGUAGES = (("es", 55), ("pt-br", 35), ("en", 10))
STATUSES = (("published", 85), ("in_review", 5), ("draft", 7), ("archived", 3))

# Word pools for the practices' text, per language: enough variety for full-text search to
# behave as on real text (common and rare words, stems, accents).
TEXT = {
    "es": {
        "mark": "[Sintético]",
        "kind": ["Programa", "Red", "Centro", "Plan", "Mesa", "Observatorio", "Escuela", "Fondo"],
        "subject": [
            "de huertas comunitarias",
            "de cuidados para personas mayores",
            "de primera infancia",
            "de inclusión laboral juvenil",
            "de acceso a la vivienda",
            "de salud comunitaria",
            "de prevención de la violencia de género",
            "de acogida a personas migrantes",
            "de alimentación escolar",
            "de accesibilidad universal",
            "de presupuesto participativo",
            "de derechos de la niñez",
        ],
        "place": [
            "en los barrios del norte",
            "en la periferia urbana",
            "en el casco histórico",
            "en las escuelas municipales",
            "en los asentamientos informales",
            "en los centros de salud",
            "en las zonas rurales del municipio",
            "en toda la ciudad",
        ],
        "summary": [
            "Acompaña a familias en situación de vulnerabilidad con equipos territoriales.",
            "Articula salud, educación y desarrollo social en una sola ventanilla.",
            "Abre espacios de participación donde los vecinos deciden prioridades.",
            "Garantiza derechos básicos con prestaciones universales y seguimiento.",
            "Forma promotoras comunitarias que orientan a sus vecinas y vecinos.",
            "Coordina organizaciones sociales, universidades y el gobierno local.",
        ],
        "problem": [
            "La pobreza urbana se concentraba en barrios sin servicios básicos.",
            "El desempleo juvenil duplicaba el promedio de la ciudad.",
            "Las personas mayores vivían solas y sin cuidados.",
            "La deserción escolar crecía en la adolescencia.",
            "Faltaban datos confiables para planificar la política social.",
        ],
        "objectives": [
            "Reducir la brecha de acceso a los servicios públicos.",
            "Fortalecer la autonomía económica de las mujeres.",
            "Mejorar la cobertura de la protección social.",
            "Promover la participación de la niñez y la adolescencia.",
        ],
        "actions": [
            "Relevamiento casa por casa y mapa de necesidades.",
            "Talleres semanales y acompañamiento individual.",
            "Convenios con cooperativas y empresas locales.",
            "Ferias, jornadas de documentación y operativos de salud.",
            "Capacitación de equipos municipales y de organizaciones.",
        ],
        "results": [
            "Miles de personas atendidas cada año.",
            "La cobertura creció un tercio en cuatro años.",
            "Se redujo la espera para acceder a las prestaciones.",
            "Las familias valoran el trato cercano de los equipos.",
        ],
        "lessons": [
            "Sin presupuesto estable el programa no se sostiene.",
            "La participación vecinal mejora el diseño desde el inicio.",
            "Los registros integrados evitan duplicar esfuerzos.",
        ],
        "target": "Familias, niñas, niños, jóvenes y personas mayores del territorio.",
        "partners": "Universidad pública, cooperativas y organizaciones barriales.",
    },
    "pt-br": {
        "mark": "[Sintético]",
        "kind": ["Programa", "Rede", "Centro", "Plano", "Fórum", "Observatório", "Escola"],
        "subject": [
            "de hortas comunitárias",
            "de cuidado de pessoas idosas",
            "de primeira infância",
            "de inclusão produtiva da juventude",
            "de acesso à moradia",
            "de saúde comunitária",
            "de enfrentamento à violência de gênero",
            "de acolhimento de migrantes",
            "de alimentação escolar",
            "de acessibilidade universal",
            "de orçamento participativo",
            "de direitos da criança",
        ],
        "place": [
            "nos bairros da zona norte",
            "na periferia",
            "no centro histórico",
            "nas escolas municipais",
            "nas comunidades",
            "nas unidades básicas de saúde",
            "na zona rural do município",
            "em toda a cidade",
        ],
        "summary": [
            "Acompanha famílias em situação de vulnerabilidade com equipes territoriais.",
            "Integra saúde, educação e assistência social num só atendimento.",
            "Abre espaços de participação onde a população decide prioridades.",
            "Garante direitos básicos com benefícios universais e acompanhamento.",
            "Forma agentes comunitárias que orientam seus vizinhos.",
            "Articula organizações sociais, universidades e o governo local.",
        ],
        "problem": [
            "A pobreza urbana se concentrava em bairros sem serviços básicos.",
            "O desemprego juvenil era o dobro da média da cidade.",
            "Pessoas idosas viviam sozinhas e sem cuidados.",
            "A evasão escolar crescia na adolescência.",
            "Faltavam dados confiáveis para planejar a política social.",
        ],
        "objectives": [
            "Reduzir a desigualdade no acesso aos serviços públicos.",
            "Fortalecer a autonomia econômica das mulheres.",
            "Ampliar a cobertura da proteção social.",
            "Promover a participação de crianças e adolescentes.",
        ],
        "actions": [
            "Busca ativa casa a casa e mapa de necessidades.",
            "Oficinas semanais e acompanhamento individual.",
            "Parcerias com cooperativas e empresas locais.",
            "Mutirões de documentação e ações de saúde.",
            "Capacitação das equipes municipais e das organizações.",
        ],
        "results": [
            "Milhares de pessoas atendidas por ano.",
            "A cobertura cresceu um terço em quatro anos.",
            "Diminuiu a espera para acessar os benefícios.",
            "As famílias valorizam a proximidade das equipes.",
        ],
        "lessons": [
            "Sem orçamento estável o programa não se sustenta.",
            "A participação da comunidade melhora o desenho desde o início.",
            "Cadastros integrados evitam esforços duplicados.",
        ],
        "target": "Famílias, crianças, jovens e pessoas idosas do território.",
        "partners": "Universidade pública, cooperativas e associações de moradores.",
    },
    "en": {
        "mark": "[Synthetic]",
        "kind": ["Programme", "Network", "Centre", "Plan", "Forum", "Observatory", "School"],
        "subject": [
            "for community gardens",
            "for the care of older people",
            "for early childhood",
            "for youth employment",
            "for access to housing",
            "for community health",
            "against gender-based violence",
            "for welcoming migrants",
            "for school meals",
            "for universal accessibility",
            "for participatory budgeting",
            "for children's rights",
        ],
        "place": [
            "in the northern neighbourhoods",
            "on the urban fringe",
            "in the historic centre",
            "in municipal schools",
            "in informal settlements",
            "in health centres",
            "in the rural districts",
            "across the city",
        ],
        "summary": [
            "Supports vulnerable families through neighbourhood teams.",
            "Brings health, education and social services into one desk.",
            "Opens participation spaces where residents set priorities.",
            "Guarantees basic rights through universal benefits and follow-up.",
            "Trains community promoters who guide their neighbours.",
            "Coordinates civil society, universities and the local government.",
        ],
        "problem": [
            "Urban poverty was concentrated in neighbourhoods without basic services.",
            "Youth unemployment was twice the city average.",
            "Older people lived alone and without care.",
            "School dropout grew during adolescence.",
            "Reliable data to plan social policy was missing.",
        ],
        "objectives": [
            "Close the gap in access to public services.",
            "Strengthen women's economic autonomy.",
            "Extend social protection coverage.",
            "Promote the participation of children and adolescents.",
        ],
        "actions": [
            "Door-to-door survey and a map of needs.",
            "Weekly workshops and individual support.",
            "Agreements with cooperatives and local businesses.",
            "Fairs, documentation days and health outreach.",
            "Training for municipal and civil-society teams.",
        ],
        "results": [
            "Thousands of people reached every year.",
            "Coverage grew by a third in four years.",
            "Waiting times for benefits fell.",
            "Families value the teams' closeness.",
        ],
        "lessons": [
            "Without a stable budget the programme does not last.",
            "Residents' participation improves the design from the start.",
            "Integrated registers avoid duplicated effort.",
        ],
        "target": "Families, children, young people and older people of the area.",
        "partners": "Public university, cooperatives and neighbourhood associations.",
    },
}
EVENT_TOPICS = [
    "indicadores sociales locales",
    "cuidados y personas mayores",
    "primera infancia",
    "migraciones y ciudad",
    "presupuesto participativo",
    "juventudes y trabajo",
    "mapa de problemas sociales",
    "financiamiento para proyectos conjuntos",
]


def scaled(count: int, scale: float) -> int:
    """`count` at scale `scale`, at least 1."""
    return max(1, round(count * scale))


def planned_counts(scale: float) -> dict[str, int]:
    """How many rows of each kind a run at `scale` creates (given the full vocabularies)."""
    cities = scaled(CITIES, scale)
    events = scaled(EVENTS, scale)
    return {
        "cities": cities,
        "practices": scaled(PRACTICES, scale),
        "city_problems": cities * PROBLEMS_PER_CITY,
        "indicator_values": cities * VALUES_PER_CITY,
        "events": events,
        "registrations": events * REGISTRATIONS_PER_EVENT,
    }


# --- the synthetic rows ---------------------------------------------------------------------


def synthetic_cities():
    return City.objects.filter(slug__startswith=CITY_SLUG, name__startswith=CITY_NAME)


def synthetic_practices():
    return Practice.objects.filter(slug__startswith=PRACTICE_SLUG)


def synthetic_events():
    return Event.objects.filter(slug__startswith=EVENT_SLUG)


def delete_synthetic() -> None:
    """Delete every row a previous run created (and what hangs from it)."""
    using = connection.alias
    practices = synthetic_practices().values("pk")
    # Raw deletes: the ORM would load 20,000 practices to write one history row each.
    for field in Practice._meta.many_to_many:
        through = field.remote_field.through
        through.objects.filter(**{f"{field.m2m_field_name()}__in": practices})._raw_delete(using)
    PracticeAttachment.objects.filter(practice__in=practices).delete()
    Practice.history.model.objects.filter(id__in=practices)._raw_delete(using)
    synthetic_practices()._raw_delete(using)
    synthetic_events().delete()
    cities = synthetic_cities().values("pk")
    CityProblem.objects.filter(city__in=cities).delete()
    IndicatorValue.objects.filter(city__in=cities).delete()
    synthetic_cities().delete()


def _copy(model, columns: list[str], rows) -> int:
    """COPY `rows` (tuples in `columns` order) into `model`'s table; returns the count."""
    quote = connection.ops.quote_name
    columns_sql = ", ".join(quote(column) for column in columns)
    statement = f"COPY {quote(model._meta.db_table)} ({columns_sql}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _copy_links(field, pairs: list[tuple[int, int]]) -> None:
    """COPY (source id, target id) pairs into the through table of m2m `field`."""
    through = field.remote_field.through
    columns = [field.m2m_column_name(), field.m2m_reverse_name()]
    _copy(through, columns, pairs)


class Generator:
    """One run: the random source and the vocabularies, read once."""

    def __init__(self, *, scale: float, seed: int):
        self.rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
        self.scale = scale
        self.now = timezone.now()
        self.themes = list(Theme.objects.order_by("slug").values_list("pk", "slug"))
        self.goals = list(DevelopmentGoal.objects.order_by("slug").values_list("pk", flat=True))
        self.problems = list(SocialProblem.objects.order_by("slug").values_list("pk", flat=True))
        self.crc = list(CRCArticle.objects.order_by("number").values_list("pk", flat=True))
        self.lines = list(
            LineOfWork.objects.filter(plan__start_year=2012)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        self.groups = list(WorkingGroup.objects.order_by("slug").values_list("pk", flat=True))
        self.groups = self.groups or [None]
        self.indicators = list(Indicator.objects.order_by("slug").values_list("pk", "decimals"))
        self.real_cities = list(
            City.objects.order_by("slug").values_list("pk", "country", "latitude", "longitude")
        )
        if not (self.real_cities and self.themes and self.problems and self.indicators):
            raise RuntimeError("Load the demo data first: the scale data builds on it.")

    def pick(self, weighted):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    # --- cities ---

    def cities(self) -> list[tuple[int, str]]:
        """Create the synthetic cities near real ones; returns (pk, country) of each."""
        rows = []
        for number in range(1, scaled(CITIES, self.scale) + 1):
            _, country, lat, lon = self.rng.choice(self.real_cities)
            lat = float(lat if lat is not None else -30)
            lon = float(lon if lon is not None else -58)
            rows.append(
                City(
                    name=f"{CITY_NAME} {number:04d}",
                    slug=f"{CITY_SLUG}{number:04d}",
                    country=country,
                    latitude=Decimal(f"{lat + self.rng.uniform(-1.5, 1.5):.6f}"),
                    longitude=Decimal(f"{lon + self.rng.uniform(-1.5, 1.5):.6f}"),
                    population=self.rng.randint(20_000, 3_000_000),
                    population_year=2020,
                    population_source=SOURCE,
                    status=City.Status.MEMBER,
                    joined_year=self.rng.randint(1995, 2024),
                    summary="Synthetic city generated for load tests; not a real member.",
                )
            )
        created = City.objects.bulk_create(rows, batch_size=BATCH)
        return [(city.pk, str(city.country.code)) for city in created]

    # --- practices ---

    def _practice(self, number: int, city_id: int, country: str) -> Practice:
        rng = self.rng
        language = self.pick(LANGUAGES)
        words = TEXT[language]
        status = self.pick(STATUSES)
        start = datetime.date(rng.randint(2000, 2024), rng.randint(1, 12), 1)
        ended = rng.random() < 0.3
        budget = Decimal(rng.randint(10, 50_000) * 1000) if rng.random() < 0.4 else None
        published_at = None
        if status in ("published", "archived"):
            published_at = self.now - datetime.timedelta(minutes=rng.randint(0, 10 * 365 * 1440))
        title = " ".join(
            [
                words["mark"],
                rng.choice(words["kind"]),
                rng.choice(words["subject"]),
                rng.choice(words["place"]),
            ]
        )

        def text(pool: str, count: int) -> str:
            return " ".join(rng.sample(words[pool], min(count, len(words[pool]))))

        return Practice(
            title=title,
            slug=f"{PRACTICE_SLUG}{number:05d}",
            city_id=city_id,
            language=language,
            summary=text("summary", 3),
            problem=text("problem", 2),
            objectives="\n".join(f"- {line}" for line in rng.sample(words["objectives"], 2)),
            actions=text("actions", 3),
            results=text("results", 2),
            lessons_learned=text("lessons", 2),
            target_population=words["target"],
            partners=words["partners"],
            start_date=start,
            end_date=start + datetime.timedelta(days=rng.randint(180, 2500)) if ended else None,
            budget=budget,
            currency=CURRENCIES.get(country, "USD") if budget is not None else "",
            funding_source="Presupuesto municipal" if budget is not None else "",
            status=status,
            featured=status == "published" and rng.random() < 0.01,
            is_sample=True,
            published_at=published_at,
        )

    def _practice_links(self, practice_id: int, city_id: int, all_city_ids, links) -> None:
        rng = self.rng
        themes = rng.sample(self.themes, rng.randint(1, 3))
        links["themes"] += [(practice_id, pk) for pk, _ in themes]
        links["goals"] += [(practice_id, pk) for pk in rng.sample(self.goals, rng.randint(1, 3))]
        links["social_problems"] += [
            (practice_id, pk) for pk in rng.sample(self.problems, rng.randint(1, 2))
        ]
        if self.lines:
            count = min(rng.randint(1, 2), len(self.lines))
            links["lines"] += [(practice_id, pk) for pk in rng.sample(self.lines, count)]
        if self.crc and any(slug == "children-adolescents" for _, slug in themes):
            links["crc_articles"] += [
                (practice_id, pk) for pk in rng.sample(self.crc, rng.randint(1, 3))
            ]
        partners = self.pick(((0, 60), (1, 25), (2, 10), (3, 5)))
        chosen = {rng.choice(all_city_ids) for _ in range(partners)} - {city_id}
        links["partner_cities"] += [(practice_id, pk) for pk in sorted(chosen)]

    def practices(self, synthetic: list[tuple[int, str]]) -> int:
        """Create the practices in batches, mostly in synthetic cities; returns the count."""
        fields = {field.name: field for field in Practice._meta.many_to_many}
        real = [(pk, str(country)) for pk, country, _, _ in self.real_cities]
        all_city_ids = [pk for pk, _ in synthetic + real]
        total = scaled(PRACTICES, self.scale)
        for first in range(1, total + 1, BATCH):
            numbers = range(first, min(first + BATCH, total + 1))
            owners = [
                self.rng.choice(synthetic if self.rng.random() < 0.95 else real) for _ in numbers
            ]
            batch = [
                self._practice(number, pk, country)
                for number, (pk, country) in zip(numbers, owners, strict=True)
            ]
            created = Practice.objects.bulk_create(batch)
            links = {name: [] for name in fields}
            for practice in created:
                self._practice_links(practice.pk, practice.city_id, all_city_ids, links)
            for name, pairs in links.items():
                _copy_links(fields[name], pairs)
        return total

    def refresh_search(self) -> int:
        """One UPDATE: each vector from the practice's own columns plus, as the services
        do for one practice, its city's name and its themes' names in every language."""
        themes = Practice.themes.through
        theme_names = Subquery(
            themes.objects.filter(practice=OuterRef("pk"))
            .values("practice")
            .annotate(
                names=StringAgg(
                    Concat(
                        "theme__name_es",
                        Value(" "),
                        "theme__name_pt_br",
                        Value(" "),
                        "theme__name_en",
                    ),
                    delimiter=" ",
                )
            )
            .values("names")
        )
        city_name = Subquery(City.objects.filter(pk=OuterRef("city_id")).values("name")[:1])
        extra = SearchVector(city_name, theme_names, weight="B", config=config_for_row())
        return synthetic_practices().update(search_vector=vector_expression() + extra)

    # --- social profiles ---

    def _value_ranges(self) -> dict[int, tuple[float, float]]:
        """Each indicator's range in the real data, so synthetic values look plausible."""
        rows = (
            IndicatorValue.objects.filter(is_sample=False)
            .order_by()
            .values("indicator_id")
            .annotate(low=Min("value"), high=Max("value"))
        )
        return {row["indicator_id"]: (float(row["low"]), float(row["high"])) for row in rows}

    def profiles(self, synthetic: list[tuple[int, str]]) -> tuple[int, int]:
        """City problems and indicator values of the synthetic cities, streamed by COPY."""
        rng, now = self.rng, self.now
        problem_keys = [(p, y) for p in self.problems for y in PROBLEM_YEARS]
        totals = [(i, d, y, "total") for i, d in self.indicators for y in VALUE_YEARS]
        splits = [(i, d, y, sex) for i, d in self.indicators for y in VALUE_YEARS for sex in SEXES]
        n_totals = min(len(totals), VALUES_PER_CITY * 11 // 15)
        n_splits = min(len(splits), VALUES_PER_CITY - n_totals)
        ranges = self._value_ranges()

        def problems():
            for city_id, _ in synthetic:
                for problem_id, year in rng.sample(
                    problem_keys, min(PROBLEMS_PER_CITY, len(problem_keys))
                ):
                    yield (
                        city_id,
                        problem_id,
                        year,
                        rng.randint(1, 5),
                        rng.randint(100, 200_000),
                        "",
                        SOURCE,
                        True,
                        now,
                    )

        def values():
            for city_id, _ in synthetic:
                keys = rng.sample(totals, n_totals) + rng.sample(splits, n_splits)
                for indicator_id, decimals, year, breakdown in keys:
                    low, high = ranges.get(indicator_id, (0.0, 100.0))
                    value = round(low + (high - low) * rng.random(), min(decimals, 6))
                    yield (city_id, indicator_id, year, breakdown, Decimal(str(value)))

        problem_columns = [
            "city_id",
            "problem_id",
            "year",
            "priority",
            "affected_population",
            "notes",
            "source",
            "is_sample",
            "updated_at",
        ]
        value_columns = ["city_id", "indicator_id", "year", "breakdown", "value"]
        value_columns += ["source", "is_sample", "updated_at"]
        problem_count = _copy(CityProblem, problem_columns, problems())
        value_count = _copy(
            IndicatorValue, value_columns, ((*row, SOURCE, True, now) for row in values())
        )
        return problem_count, value_count

    # --- events ---

    def _event(self, number: int, host_id: int) -> Event:
        rng = self.rng
        kind = rng.choice(list(Event.Kind.values))
        zone = rng.choice(TIME_ZONE_CHOICES)[0]
        starts_at = self.now + datetime.timedelta(
            days=rng.randint(-6 * 365, 365), hours=rng.randint(0, 23)
        )
        upcoming = starts_at > self.now
        topic = rng.choice(EVENT_TOPICS)
        return Event(
            title=f"[Sintético] Encuentro {number:04d}: {topic}",
            slug=f"{EVENT_SLUG}{number:04d}",
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=rng.randint(2, 30)),
            time_zone=zone,
            place="" if kind == Event.Kind.WEBINAR else "Sala municipal (sintética)",
            online_url="https://meet.example.org/synthetic" if kind == Event.Kind.WEBINAR else "",
            host_city_id=host_id,
            working_group_id=rng.choice(self.groups) if rng.random() < 0.3 else None,
            description=f"Evento sintético para pruebas de carga sobre {topic}.",
            registration_open=upcoming and rng.random() < 0.6,
            capacity=rng.choice([None, 40, 60, 100]),
            cancelled=rng.random() < 0.02,
            is_sample=True,
        )

    def events(self, synthetic: list[tuple[int, str]]) -> tuple[int, int]:
        """Events hosted by synthetic cities, each with registrations of distinct cities."""
        rng = self.rng
        hosts = [pk for pk, _ in synthetic]
        all_city_ids = hosts + [pk for pk, _, _, _ in self.real_cities]
        per_event = min(REGISTRATIONS_PER_EVENT, len(all_city_ids))
        total = scaled(EVENTS, self.scale)
        event_count = registration_count = 0
        lines_field = Event._meta.get_field("lines")
        for first in range(1, total + 1, BATCH):
            numbers = range(first, min(first + BATCH, total + 1))
            batch = [self._event(number, rng.choice(hosts)) for number in numbers]
            created = Event.objects.bulk_create(batch)
            event_count += len(created)
            registrations, lines = [], []
            for event in created:
                for city_id in rng.sample(all_city_ids, per_event):
                    registrations.append(
                        Registration(
                            event_id=event.pk,
                            city_id=city_id,
                            attendees=rng.randint(1, 3),
                            status=Registration.Status.CONFIRMED,
                        )
                    )
                if self.lines:
                    lines += [(event.pk, pk) for pk in rng.sample(self.lines, 1)]
            registration_count += len(
                Registration.objects.bulk_create(registrations, batch_size=BATCH)
            )
            _copy_links(lines_field, lines)
        return event_count, registration_count


ANALYZED = (City, Practice, CityProblem, IndicatorValue, Event, Registration)


def seed_scale(*, scale: float, seed: int = 1) -> dict[str, int]:
    """Replace the synthetic network with a fresh one at `scale`; returns the counts."""
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}")
    with transaction.atomic():
        delete_synthetic()
        generator = Generator(scale=scale, seed=seed)
        cities = generator.cities()
        practices = generator.practices(cities)
        city_problems, indicator_values = generator.profiles(cities)
        events, registrations = generator.events(cities)
        generator.refresh_search()
    # Settled tables, as a running portal has: visibility maps for index-only scans and
    # statistics for the planner, many-to-many link tables included. VACUUM cannot run in
    # a transaction: only when nothing outside has opened one (a test has).
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    tables = [model._meta.db_table for model in ANALYZED] + [
        field.remote_field.through._meta.db_table
        for field in Practice._meta.many_to_many + Event._meta.many_to_many
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
    return {
        "cities": len(cities),
        "practices": practices,
        "city_problems": city_problems,
        "indicator_values": indicator_values,
        "events": events,
        "registrations": registrations,
    }
