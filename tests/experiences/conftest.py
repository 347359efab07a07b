"""Practices for the fixed cast: city A (Quilmes, ana) owns the practices under test;
bruno (city B) is the outsider, sofia the secretariat, visitor anonymous."""

import datetime
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.text import slugify

from experiences.models import (
    CityPublishingRight,
    CRCArticle,
    Practice,
    PracticeAttachment,
    Theme,
)
from experiences.services import _save_with_history, practice_create, practice_refresh_search
from mapping.models import DevelopmentGoal, SocialProblem
from tests.factories import in_three
from unit.demo import sample_pdf

# --- real file contents ------------------------------------------------------------------

# A PDF that parses (uploads are parse-checked), with a correct cross-reference table.
PDF_BYTES = sample_pdf("Informe de prueba")


def png_bytes() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def office_bytes(kind: str) -> bytes:
    """A minimal but genuine DOCX, XLSX or ODT container."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
            archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        else:
            main, part = {
                "docx": ("wordprocessingml.document.main+xml", "word/document.xml"),
                "xlsx": ("spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
            }[kind]
            archive.writestr(
                "[Content_Types].xml",
                '<Types><Override PartName="/'
                + part
                + '" ContentType="application/vnd.openxmlformats-officedocument.'
                + main
                + '"/></Types>',
            )
            archive.writestr("_rels/.rels", "<Relationships/>")
            archive.writestr(part, "<document/>")
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def pdf_file():
    return SimpleUploadedFile("informe final.pdf", PDF_BYTES, content_type="application/pdf")


# --- vocabularies and practices ----------------------------------------------------------


@pytest.fixture
def themes(db):
    return {
        slug: Theme.objects.create(
            slug=slug, name_es=es, name_pt_br=pt, name_en=en, position=position
        )
        for position, (slug, es, pt, en) in enumerate(
            [
                ("children-adolescents", "Niñez", "Crianças", "Children"),
                ("migration", "Migraciones", "Migrações", "Migration"),
                ("gender", "Género", "Gênero", "Gender"),
            ]
        )
    }


@pytest.fixture
def goal(db):
    return DevelopmentGoal.objects.create(
        framework="sdg",
        number=1,
        slug="sdg-01",
        **in_three("name", "Fin de la pobreza", "Erradicação da pobreza", "No poverty"),
        **in_three("title", "Poner fin a la pobreza", "Acabar com a pobreza", "End poverty"),
    )


@pytest.fixture
def problem(db):
    return SocialProblem.objects.create(
        slug="child-labour",
        category="childhood",
        **in_three("name", "Trabajo infantil", "Trabalho infantil", "Child labour"),
    )


@pytest.fixture
def crc_article(db):
    return CRCArticle.objects.create(
        number=12,
        **in_three(
            "name",
            "Respeto a la opinión del niño",
            "Respeito à opinião da criança",
            "Respect for the views of the child",
        ),
        general_principle=True,
    )


SECTIONS = {
    "summary": "Mesas barriales donde niñas y niños opinan sobre su barrio.",
    "problem": "La niñez no participaba en las decisiones.",
    "objectives": "Escuchar a la niñez.",
    "actions": "Reuniones mensuales.",
    "results": "Catorce mesas activas.",
}


def draft_written_by(user, city) -> Practice:
    """A complete draft ("Huertas comunitarias") saved through practice_create, as the form
    saves one (history row, search vector)."""
    return practice_create(
        user=user,
        data={
            "title": "Huertas comunitarias",
            "city": city,
            "language": "es",
            "start_date": datetime.date(2018, 4, 1),
            **SECTIONS,
        },
    )


def create_practice(city, title, *, status=Practice.Status.PUBLISHED, published_at=None, lines=()):
    """A practice of `city` saved as a plain row (no history, no search vector), for pages
    that list or count it; a published one is published now unless `published_at` says."""
    if status == Practice.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    practice = Practice.objects.create(
        city=city,
        title=title,
        slug=slugify(f"{city.slug}-{title}")[:200],
        language="es",
        start_date=datetime.date(2015, 3, 1),
        status=status,
        published_at=published_at,
        **SECTIONS,
    )
    practice.lines.set(lines)
    return practice


def save_practice(*, status=Practice.Status.PUBLISHED, **values) -> Practice:
    """A practice saved the way services leave it (history row by its author, search
    vector): complete sections, in Spanish, started in March 2015, published now when
    published; `values` override any field, themes=[…] and the like set those relations."""
    m2m = {
        name: values.pop(name)
        for name in ("themes", "goals", "social_problems", "crc_articles", "partner_cities")
        if name in values
    }
    values = {
        "language": "es",
        "start_date": datetime.date(2015, 3, 1),
        "published_at": timezone.now() if status == Practice.Status.PUBLISHED else None,
        **SECTIONS,
        **values,
    }
    practice = Practice(status=status, **values)
    _save_with_history(practice, user=values.get("author"), m2m=m2m, history_type="+")
    practice_refresh_search(practice=practice)
    return practice


@pytest.fixture
def make_practice(db, city_a):
    """make_practice(title=…, city=…, status=…, themes=[…], …) → a saved practice with its
    search vector, the way services leave it."""
    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        overrides.setdefault("title", f"Práctica {counter['n']}")
        overrides.setdefault("city", city_a)
        overrides.setdefault("slug", f"practica-{counter['n']}-{overrides['city'].slug}")
        return save_practice(**overrides)

    return make


@pytest.fixture
def draft(make_practice, ana, themes):
    return make_practice(
        title="Mesas de niñez en borrador",
        status=Practice.Status.DRAFT,
        author=ana,
        themes=[themes["children-adolescents"]],
        contact_name="Laura Gómez",
        contact_email="laura@quilmes.example",
    )


@pytest.fixture
def published(make_practice, ana, themes):
    return make_practice(
        title="Mesas barriales de niñez",
        author=ana,
        themes=[themes["children-adolescents"]],
        contact_name="Laura Gómez",
        contact_email="laura@quilmes.example",
    )


@pytest.fixture
def self_publishing_city_a(city_a):
    return CityPublishingRight.objects.create(city=city_a, can_self_publish=True)


def form_data(practice=None, **overrides):
    """POST data for the practice form: a complete practice of city A unless overridden."""
    data = {
        "title": "Huertas comunitarias",
        "language": "es",
        "start_date": "2018-04-01",
        "end_date": "",
        "target_population": "Familias de barrios populares",
        "partners": "",
        "budget": "",
        "currency": "",
        "funding_source": "",
        "contact_name": "",
        "contact_email": "",
        "lessons_learned": "",
        **SECTIONS,
    }
    if practice is not None:
        data.update(
            title=practice.title,
            city=practice.city_id,
            version=practice.version,
            themes=[t.pk for t in practice.themes.all()],
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# What a refused upload's form is posted with as its summary, to check it is shown again.
TYPED_TEXT = "Texto que se guarda"


def post_edit(client, practice, files, **overrides):
    """POST the practice's edit form (in English) with these files attached."""
    data = form_data(practice, **overrides)
    data["attachments"] = files
    with translation.override("en"):
        return client.post(f"/en/practices/{practice.slug}/edit/", data)


def assert_refused_keeping_the_form(response, practice, reason):
    """The form came back saying why the file was refused, with what was typed (TYPED_TEXT)
    shown again; no attachment and nothing of the form saved, not even the text."""
    assert response.status_code == 200
    html = response.content.decode()
    assert reason in html
    assert TYPED_TEXT in html
    assert not PracticeAttachment.objects.exists()
    practice.refresh_from_db()
    assert practice.summary != TYPED_TEXT
