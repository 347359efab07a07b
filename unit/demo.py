"""The unit's 2012 work plan and its eight lines of work, plus sample library documents and
news for the demonstration site (`seed_demo` calls `seed()` first, then links the samples
of the other apps to the lines).

The plan and its lines are the unit's real 2012 work plan (coordination: Quilmes, with
Zárate and Montevideo). The documents and news are invented examples, titled
"[Ejemplo] …" and marked `is_sample`. Idempotent: matched by year, number or slug.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from . import services
from .models import Document, LineOfWork, NewsItem, WorkPlan

PLAN_YEAR = 2012
PLAN_TITLE = (
    "Plan de trabajo de la Unidad Temática de Desarrollo Social",
    "Plano de trabalho da Unidade Temática de Desenvolvimento Social",
    "Work plan of the Social Development Thematic Unit",
)
PLAN_SUMMARY = (
    "Coordinada por Quilmes, con Zárate y Montevideo como subcoordinadoras, la Unidad se "
    "propone ampliar la red, intercambiar y sistematizar las políticas sociales locales, y "
    "crear mecanismos periódicos de revisión de resultados, capacitación para los nuevos "
    "miembros, visibilidad e información actualizada en la web.",
    "Coordenada por Quilmes, com Zárate e Montevidéu como subcoordenadoras, a Unidade se "
    "propõe ampliar a rede, intercambiar e sistematizar as políticas sociais locais, e criar "
    "mecanismos periódicos de revisão de resultados, capacitação para os novos membros, "
    "visibilidade e informação atualizada na web.",
    "Coordinated by Quilmes, with Zárate and Montevideo as sub-coordinators, the Unit sets "
    "out to widen the network, exchange and systematise local social policies, and create "
    "periodic mechanisms to review results, training for new members, visibility and "
    "up-to-date information on the web.",
)

# (slug, titles es/pt-br/en, descriptions es/pt-br/en, shows profile updates)
# The line whose review counts the practice transfers (also set by migration 0005).
EXCHANGE_LINE = "2012-intercambio-de-politicas"
LINES = [
    (
        "2012-ampliar-la-red",
        (
            "Ampliar la red",
            "Ampliar a rede",
            "Widen the network",
        ),
        (
            "Sumar ciudades a la Unidad y sostener la participación de las que ya la integran.",
            "Somar cidades à Unidade e sustentar a participação das que já a integram.",
            "Bring more cities into the Unit and keep its members taking part.",
        ),
        False,
    ),
    (
        "2012-intercambio-de-politicas",
        (
            "Intercambio y sistematización de políticas locales que garantizan derechos sociales",
            "Intercâmbio e sistematização de políticas locais que garantem direitos sociais",
            "Exchange and systematisation of local policies guaranteeing social rights",
        ),
        (
            "Un modelo común para describir cada práctica y compartirla entre las ciudades.",
            "Um modelo comum para descrever cada prática e compartilhá-la entre as cidades.",
            "A shared template to describe each practice and share it among the cities.",
        ),
        False,
    ),
    (
        "2012-ninez-y-adolescencia",
        (
            "Derechos de niñas, niños y adolescentes (Convención sobre los Derechos del Niño)",
            "Direitos de crianças e adolescentes (Convenção sobre os Direitos da Criança)",
            "Children's and adolescents' rights under the Convention on the Rights of the Child",
        ),
        (
            "Políticas locales que aplican la Convención sobre los Derechos del Niño.",
            "Políticas locais que aplicam a Convenção sobre os Direitos da Criança.",
            "Local policies that put the Convention on the Rights of the Child into practice.",
        ),
        False,
    ),
    (
        "2012-objetivos-de-desarrollo",
        (
            "Estrategias locales para los Objetivos de Desarrollo",
            "Estratégias locais para os Objetivos de Desenvolvimento",
            "Local strategies for the development goals",
        ),
        (
            "Cómo contribuyen las ciudades a los Objetivos de Desarrollo del Milenio y Sostenible.",
            "Como as cidades contribuem para os Objetivos de Desenvolvimento do Milênio e "
            "Sustentável.",
            "How the cities contribute to the Millennium and Sustainable Development Goals.",
        ),
        False,
    ),
    (
        "2012-mapa-de-problemas-sociales",
        (
            "Mapa conjunto de problemas sociales (perfiles sociales de las ciudades)",
            "Mapa conjunto de problemas sociais (perfis sociais das cidades)",
            "Joint map of social problems (city social profiles)",
        ),
        (
            "Cada ciudad mantiene su perfil social: problemas prioritarios e indicadores.",
            "Cada cidade mantém seu perfil social: problemas prioritários e indicadores.",
            "Each city keeps its social profile current: priority problems and indicators.",
        ),
        True,
    ),
    (
        "2012-financiamiento",
        (
            "Financiamiento para la cooperación",
            "Financiamento para a cooperação",
            "Funding for cooperation",
        ),
        (
            "Convocatorias y fondos para proyectos conjuntos entre ciudades.",
            "Editais e fundos para projetos conjuntos entre cidades.",
            "Calls and funds for joint projects between cities.",
        ),
        False,
    ),
    (
        "2012-agenda-social-latinoamericana",
        (
            "Agenda social latinoamericana (Mercosur Social, Unasur)",
            "Agenda social latino-americana (Mercosul Social, Unasul)",
            "Latin American social agenda (Mercosur Social, Unasur)",
        ),
        (
            "Llevar la voz de las ciudades a los espacios sociales regionales.",
            "Levar a voz das cidades aos espaços sociais regionais.",
            "Bring the cities' voice to the region's social forums.",
        ),
        False,
    ),
    (
        "2012-trabajo-con-otras-unidades",
        (
            "Trabajo conjunto con las unidades de Derechos Humanos y Cultura",
            "Trabalho conjunto com as unidades de Direitos Humanos e Cultura",
            "Joint work with the Human Rights and Culture units",
        ),
        (
            "Agenda compartida con otras unidades temáticas de Mercociudades.",
            "Agenda compartilhada com outras unidades temáticas de Mercocidades.",
            "A shared agenda with other thematic units of Mercociudades.",
        ),
        False,
    ),
]

# slug, title, kind, year, audience, for new members, line slugs, summary
DOCUMENTS = [
    (
        "ejemplo-guia-para-nuevas-ciudades",
        "[Ejemplo] Guía para nuevas ciudades miembro",
        Document.Kind.TRAINING,
        2025,
        Document.Audience.PUBLIC,
        True,
        ["2012-ampliar-la-red"],
        "Cómo participa una ciudad en la Unidad: la coordinación, el portal, cómo publicar "
        "una práctica y cómo mantener el perfil social al día.",
    ),
    (
        "ejemplo-informe-anual-de-la-unidad",
        "[Ejemplo] Informe anual de la Unidad",
        Document.Kind.REPORT,
        2025,
        Document.Audience.PUBLIC,
        False,
        ["2012-intercambio-de-politicas", "2012-mapa-de-problemas-sociales"],
        "Balance del año: prácticas publicadas, perfiles sociales actualizados y encuentros.",
    ),
    (
        "ejemplo-acta-de-reunion-de-coordinacion",
        "[Ejemplo] Acta de la reunión de coordinación",
        Document.Kind.MINUTES,
        2025,
        Document.Audience.MEMBERS,
        False,
        ["2012-ampliar-la-red"],
        "Acuerdos de la reunión de coordinación, con los contactos de las ciudades.",
    ),
]

# slug, title, summary, body, days ago, line slugs
NEWS = [
    (
        "ejemplo-nuevo-portal-de-la-unidad",
        "[Ejemplo] La Unidad estrena su portal",
        "Las ciudades publican sus prácticas y mantienen su perfil social en un solo lugar.",
        "El portal reúne las **prácticas** de las ciudades miembro, el mapa conjunto de "
        "problemas sociales y la agenda de la Unidad.\n\n- Prácticas sistematizadas\n"
        "- Perfiles sociales\n- Eventos y convocatorias",
        3,
        ["2012-intercambio-de-politicas"],
    ),
    (
        "ejemplo-taller-para-nuevas-ciudades",
        "[Ejemplo] Taller para nuevas ciudades miembro",
        "Un taller virtual presenta la Unidad y el portal a las ciudades que se suman.",
        "La coordinación invita a las ciudades que se sumaron este año a un taller sobre "
        "cómo publicar prácticas y actualizar el perfil social.",
        10,
        ["2012-ampliar-la-red"],
    ),
    (
        "ejemplo-balance-del-mapa-social",
        "[Ejemplo] Balance del mapa social de las ciudades",
        "Más ciudades actualizaron sus problemas prioritarios e indicadores.",
        "La actualización de los perfiles sociales permite comparar indicadores entre "
        "ciudades y años.",
        30,
        ["2012-mapa-de-problemas-sociales"],
    ),
]


def sample_pdf(title: str) -> bytes:
    """A one-page PDF saying it is a sample, with a correct cross-reference table."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 56 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed() -> int:
    """The 2012 plan, its lines, sample documents and news; returns the documents created."""
    plan, _created = WorkPlan.objects.get_or_create(
        start_year=PLAN_YEAR,
        defaults={
            "end_year": PLAN_YEAR,  # the 2012 coordination's year (data/reference/SOURCES.md)
            "title_es": PLAN_TITLE[0],
            "title_pt_br": PLAN_TITLE[1],
            "title_en": PLAN_TITLE[2],
            "summary_es": PLAN_SUMMARY[0],
            "summary_pt_br": PLAN_SUMMARY[1],
            "summary_en": PLAN_SUMMARY[2],
        },
    )
    lines = {}
    for number, (slug, titles, descriptions, profile) in enumerate(LINES, start=1):
        lines[slug], _ = LineOfWork.objects.get_or_create(
            slug=slug,
            defaults={
                "plan": plan,
                "number": number,
                "title_es": titles[0],
                "title_pt_br": titles[1],
                "title_en": titles[2],
                "description_es": descriptions[0],
                "description_pt_br": descriptions[1],
                "description_en": descriptions[2],
                "shows_profile_updates": profile,
                "counts_practice_transfers": slug == EXCHANGE_LINE,
            },
        )
    created = 0
    for slug, title, kind, year, audience, onboarding, line_slugs, summary in DOCUMENTS:
        if Document.objects.filter(slug=slug).exists():
            continue
        document = Document(
            slug=slug,
            title=title,
            kind=kind,
            year=year,
            language="es",
            audience=audience,
            for_new_members=onboarding,
            summary=summary,
            original_name=f"{slug}.pdf",
            content_type="application/pdf",
            is_sample=True,
        )
        content = sample_pdf(title)
        document.size = len(content)
        document.file.save("document.pdf", ContentFile(content), save=False)
        document.save()
        document.lines.set([lines[line] for line in line_slugs])
        services.document_refresh_search(document=document)
        created += 1
    now = timezone.now()
    for slug, title, summary, body, days, line_slugs in NEWS:
        item, made = NewsItem.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body,
                "language": "es",
                "published_at": now - datetime.timedelta(days=days),
                "is_published": True,
                "is_sample": True,
            },
        )
        if made:
            item.lines.set([lines[line] for line in line_slugs])
    return created
