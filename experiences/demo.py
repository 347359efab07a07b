"""Vocabularies and sample practices for `seed_demo` (after cities and mapping).

Themes follow the lines of the unit's work plan; CRC articles come from
data/reference/taxonomies/crc_articles.csv (editorial short labels, see SOURCES.md there).
The practices are invented examples, marked "[Ejemplo]"/"[Exemplo]" and `is_sample`.
Idempotent: everything is matched by slug or number and created once.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cities.models import City
from mapping.models import DevelopmentGoal, SocialProblem

from .models import PRACTICE_EDITABLE_FIELDS, CityPublishingRight, CRCArticle, Practice, Theme
from .services import _save_with_history, practice_refresh_search

CRC_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "taxonomies" / "crc_articles.csv"

# (slug, (es, pt-br, en), (description es, pt-br, en)) in the order of the work plan.
THEMES = [
    (
        "social-rights-investment",
        (
            "Inversión y cobertura en derechos sociales",
            "Investimento e cobertura em direitos sociais",
            "Social rights investment and coverage",
        ),
        (
            "Cuánto invierte la ciudad en derechos sociales y a quiénes llega.",
            "Quanto a cidade investe em direitos sociais e quem é alcançado.",
            "How much the city invests in social rights and whom it reaches.",
        ),
    ),
    (
        "universal-programmes",
        (
            "Programas sociales universales",
            "Programas sociais universais",
            "Universal social programmes",
        ),
        (
            "Políticas para toda la población, no solo para quien demuestra necesidad.",
            "Políticas para toda a população, não só para quem comprova necessidade.",
            "Policies for everyone, not only for those who prove need.",
        ),
    ),
    (
        "participation-transparency",
        (
            "Participación y transparencia",
            "Participação e transparência",
            "Participation and transparency",
        ),
        (
            "La ciudadanía decide, controla y accede a la información pública.",
            "A cidadania decide, controla e acessa a informação pública.",
            "Citizens decide, oversee and access public information.",
        ),
    ),
    (
        "urban-poverty-exclusion",
        (
            "Pobreza urbana y exclusión social",
            "Pobreza urbana e exclusão social",
            "Urban poverty and social exclusion",
        ),
        (
            "Barrios populares, ingresos, hábitat y acceso a servicios.",
            "Bairros populares, renda, habitat e acesso a serviços.",
            "Low-income neighbourhoods, income, habitat and access to services.",
        ),
    ),
    (
        "children-adolescents",
        (
            "Derechos de niñas, niños y adolescentes",
            "Direitos de crianças e adolescentes",
            "Rights of children and adolescents",
        ),
        (
            "Políticas locales según la Convención sobre los Derechos del Niño.",
            "Políticas locais segundo a Convenção sobre os Direitos da Criança.",
            "Local policies under the Convention on the Rights of the Child.",
        ),
    ),
    (
        "development-goals",
        (
            "Objetivos de desarrollo (ODM/ODS)",
            "Objetivos de desenvolvimento (ODM/ODS)",
            "Development goals (MDG/SDG)",
        ),
        (
            "Avances locales hacia los Objetivos del Milenio y de Desarrollo Sostenible.",
            "Avanços locais rumo aos Objetivos do Milênio e de Desenvolvimento Sustentável.",
            "Local progress towards the Millennium and Sustainable Development Goals.",
        ),
    ),
    ("migration", ("Migraciones", "Migrações", "Migration"), ("", "", "")),
    ("human-rights", ("Derechos humanos", "Direitos humanos", "Human rights"), ("", "", "")),
    ("gender", ("Género", "Gênero", "Gender"), ("", "", "")),
    ("youth", ("Juventudes", "Juventudes", "Youth"), ("", "", "")),
    ("disability", ("Discapacidad", "Deficiência", "Disability"), ("", "", "")),
    ("ageing", ("Personas mayores", "Pessoas idosas", "Ageing"), ("", "", "")),
]

SAMPLES = [
    {
        "slug": "ejemplo-mesas-barriales-de-ninez-y-adolescencia",
        "title": "[Ejemplo] Mesas barriales de niñez y adolescencia",
        "city": "quilmes-ar",
        "language": "es",
        "status": "published",
        "author": "ana@quilmes.example",
        "start_date": datetime.date(2012, 3, 1),
        "summary": (
            "Espacios mensuales en cada barrio donde niñas, niños y adolescentes, sus familias "
            "y los servicios locales acuerdan prioridades y siguen la **protección de "
            "derechos**."
        ),
        "problem": "La participación de la niñez en las decisiones locales era nula.",
        "objectives": "- Escuchar la opinión de la niñez.\n- Coordinar escuelas, salud y clubes.",
        "actions": "Reuniones mensuales, consulta anual y un informe público por barrio.",
        "results": "Catorce mesas activas y propuestas incorporadas al presupuesto municipal.",
        "lessons_learned": "Sin devolución pública de resultados la participación decae.",
        "target_population": "Niñas, niños y adolescentes de 6 a 17 años.",
        "themes": ["children-adolescents", "participation-transparency"],
        "goals": ["sdg-16"],
        "problems": ["street-children"],
        "crc": [3, 12, 31],
    },
    {
        "slug": "ejemplo-presupuesto-participativo-con-enfoque-de-derechos",
        "title": "[Ejemplo] Presupuesto participativo con enfoque de derechos",
        "city": "montevideo-uy",
        "language": "es",
        "status": "published",
        "featured": True,
        "start_date": datetime.date(2008, 5, 1),
        "budget": Decimal("45000000"),
        "currency": "UYU",
        "funding_source": "Presupuesto departamental",
        "summary": (
            "Los vecinos y vecinas deciden cada año una parte de la inversión social de la "
            "ciudad, con cupos para proyectos de juventud, género y discapacidad."
        ),
        "problem": "La inversión social se concentraba en las zonas con más voz.",
        "objectives": "Distribuir la inversión según necesidades votadas por la ciudadanía.",
        "actions": "Asambleas zonales, votación abierta y rendición de cuentas pública.",
        "results": "Más de 300 obras sociales votadas y ejecutadas.",
        "lessons_learned": "La transparencia en la ejecución sostiene la confianza.",
        "themes": ["participation-transparency", "social-rights-investment"],
        "goals": ["sdg-16", "sdg-10"],
        "problems": ["income-inequality"],
        "crc": [],
    },
    {
        "slug": "exemplo-acolhimento-de-familias-migrantes-e-refugiadas",
        "title": "[Exemplo] Acolhimento de famílias migrantes e refugiadas",
        "city": "porto-alegre-br",
        "partners": ["sao-paulo-br"],
        "language": "pt-br",
        "status": "published",
        "author": "bruno@portoalegre.example",
        "start_date": datetime.date(2016, 8, 1),
        "summary": (
            "Centro de referência que orienta famílias migrantes sobre documentação, "
            "matrícula escolar das crianças, saúde e trabalho, em espanhol, crioulo e "
            "português."
        ),
        "problem": "Migrações recentes sem acesso a serviços por falta de documentos e idioma.",
        "objectives": "Garantir acesso igualitário aos serviços públicos municipais.",
        "actions": "Atendimento multilíngue, mutirões de documentação e rede com escolas.",
        "results": "Mais de 4 000 atendimentos e matrícula de 600 crianças.",
        "lessons_learned": "Mediadores culturais da própria comunidade fazem a diferença.",
        "themes": ["migration", "human-rights", "children-adolescents"],
        "goals": ["sdg-10"],
        "problems": ["migrant-exclusion"],
        "crc": [2, 22, 28],
    },
    {
        "slug": "ejemplo-huertas-urbanas-comunitarias",
        "title": "[Ejemplo] Huertas urbanas comunitarias contra la inseguridad alimentaria",
        "city": "rosario-ar",
        "language": "es",
        "status": "published",
        "start_date": datetime.date(2002, 4, 1),
        "summary": (
            "Huertas agroecológicas en terrenos vacantes que dan alimento e ingresos a "
            "familias de barrios populares y abastecen ferias de la ciudad."
        ),
        "problem": "Inseguridad alimentaria y desempleo tras la crisis de 2001.",
        "objectives": "Producir alimentos sanos y generar ingresos en los barrios.",
        "actions": "Cesión de terrenos, capacitación, semillas y ferias semanales.",
        "results": "Decenas de huertas y cientos de familias productoras.",
        "lessons_learned": "La tenencia segura del suelo es la condición de todo lo demás.",
        "themes": ["urban-poverty-exclusion", "development-goals"],
        "goals": ["sdg-02", "sdg-01", "mdg-1"],
        "problems": ["food-insecurity", "urban-poverty"],
        "crc": [27],
    },
    {
        "slug": "ejemplo-centros-de-dia-para-personas-mayores",
        "title": "[Ejemplo] Centros de día para personas mayores",
        "city": "villa-carlos-paz-ar",
        "language": "es",
        "status": "published",
        "start_date": datetime.date(2019, 3, 1),
        "end_date": datetime.date(2023, 12, 31),
        "summary": (
            "Centros abiertos de lunes a viernes con actividades, comida y acompañamiento "
            "para personas mayores que viven solas."
        ),
        "problem": "Aislamiento y falta de cuidados de personas mayores.",
        "objectives": "Cuidar sin institucionalizar y fortalecer los vínculos barriales.",
        "actions": "Talleres, almuerzo diario, visitas domiciliarias y traslados.",
        "results": "Tres centros y 250 personas acompañadas cada año.",
        "lessons_learned": "El voluntariado necesita coordinación profesional estable.",
        "themes": ["ageing", "universal-programmes"],
        "goals": ["sdg-03"],
        "problems": ["ageing-care"],
        "crc": [],
    },
    {
        "slug": "exemplo-primeira-infancia-nos-territorios",
        "title": "[Exemplo] Primeira infância nos territórios vulneráveis",
        "city": "sao-paulo-br",
        "language": "pt-br",
        "status": "published",
        "start_date": datetime.date(2017, 2, 1),
        "summary": (
            "Visitas domiciliares e creches comunitárias para crianças de 0 a 6 anos e suas "
            "famílias, articulando saúde, educação e assistência social."
        ),
        "problem": "Falta de cuidado na primeira infância nas periferias.",
        "objectives": "Garantir o desenvolvimento integral das crianças pequenas.",
        "actions": "Visitas mensais, grupos de famílias e ampliação de vagas em creches.",
        "results": "Cobertura de 20 000 famílias nos distritos prioritários.",
        "lessons_learned": "A integração dos cadastros evita visitas duplicadas.",
        "themes": ["children-adolescents", "universal-programmes"],
        "goals": ["sdg-04", "sdg-01"],
        "problems": ["early-childhood-care"],
        "crc": [6, 18, 24, 27],
    },
    {
        "slug": "exemplo-juventudes-e-trabalho-primeira-oportunidade",
        "title": "[Exemplo] Juventudes e trabalho: primeira oportunidade",
        "city": "porto-alegre-br",
        "language": "pt-br",
        "status": "published",
        "start_date": datetime.date(2014, 6, 1),
        "summary": (
            "Programa de primeiro emprego com formação, bolsa e acompanhamento para jovens "
            "de 16 a 24 anos fora da escola e do trabalho."
        ),
        "problem": "Desemprego juvenil alto nos bairros da periferia.",
        "objectives": "Abrir a primeira experiência de trabalho formal.",
        "actions": "Cursos, estágios em empresas parceiras e tutoria individual.",
        "results": "Metade dos participantes com emprego formal um ano depois.",
        "lessons_learned": "A tutoria depois da contratação reduz o abandono.",
        "themes": ["youth", "urban-poverty-exclusion"],
        "goals": ["sdg-08"],
        "problems": ["youth-unemployment"],
        "crc": [32],
    },
    {
        "slug": "ejemplo-registro-unico-de-personas-con-discapacidad",
        "title": "[Ejemplo] Registro único de personas con discapacidad (borrador)",
        "city": "quilmes-ar",
        "language": "es",
        "status": "draft",
        "author": "ana@quilmes.example",
        "start_date": datetime.date(2024, 1, 1),
        "summary": "Un registro municipal para planificar apoyos y accesibilidad.",
        "themes": ["disability"],
        "goals": ["sdg-10"],
        "problems": ["disability-exclusion"],
        "crc": [23],
    },
]


def seed_themes() -> None:
    for position, (slug, names, descriptions) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "position": position,
                "name_es": names[0],
                "name_pt_br": names[1],
                "name_en": names[2],
                "description_es": descriptions[0],
                "description_pt_br": descriptions[1],
                "description_en": descriptions[2],
            },
        )


def seed_crc_articles() -> None:
    with CRC_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CRCArticle.objects.update_or_create(
                number=int(row["article"]),
                defaults={
                    "name_es": row["short_es"],
                    "name_pt_br": row["short_pt"],
                    "name_en": row["short_en"],
                    "general_principle": row["general_principle"] == "yes",
                },
            )


def _sample(spec, cities, users) -> None:
    city = cities.get(spec["city"])
    if city is None or Practice.objects.filter(slug=spec["slug"]).exists():
        return
    # "city" and "partners" name cities by slug: they are set below, not copied.
    fields = {
        name: spec[name]
        for name in PRACTICE_EDITABLE_FIELDS
        if name in spec and name not in ("city", "partners")
    }
    published = spec["status"] == Practice.Status.PUBLISHED
    practice = Practice(
        **fields,
        slug=spec["slug"],
        city=city,
        status=spec["status"],
        featured=spec.get("featured", False),
        is_sample=True,
        author=users.get(spec.get("author")),
        published_at=timezone.now() if published else None,
    )
    m2m = {
        "themes": list(Theme.objects.filter(slug__in=spec["themes"])),
        "goals": list(DevelopmentGoal.objects.filter(slug__in=spec["goals"])),
        "social_problems": list(SocialProblem.objects.filter(slug__in=spec["problems"])),
        "crc_articles": list(CRCArticle.objects.filter(number__in=spec["crc"])),
        "partner_cities": [cities[s] for s in spec.get("partners", []) if s in cities],
    }
    _save_with_history(practice, user=practice.author, m2m=m2m, history_type="+")
    practice_refresh_search(practice=practice)


@transaction.atomic
def seed() -> int:
    """Themes, CRC articles and the sample practices; returns how many samples exist."""
    seed_themes()
    seed_crc_articles()
    slugs = {spec["city"] for spec in SAMPLES} | {p for s in SAMPLES for p in s.get("partners", [])}
    cities = {city.slug: city for city in City.objects.filter(slug__in=slugs)}
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    for spec in SAMPLES:
        _sample(spec, cities, users)
    if "montevideo-uy" in cities:
        CityPublishingRight.objects.get_or_create(
            city=cities["montevideo-uy"],
            defaults={"can_self_publish": True, "note": "Demo: publishes without review."},
        )
    return Practice.objects.filter(is_sample=True).count()
