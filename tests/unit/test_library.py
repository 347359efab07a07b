"""The library: members-only documents stay with the members (list, detail, download), the
filters and the accent-insensitive search, bad filter values ignored, flat query counts."""

import itertools

import pytest
from django.core.files.base import ContentFile

from tests.factories import in_three
from tests.http import assert_shows
from unit import services
from unit.demo import sample_pdf
from unit.models import Document, LineOfWork, WorkPlan

LIBRARY = "/en/unit/library/"
_numbers = itertools.count(1)


pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def plan(db):
    return WorkPlan.objects.create(
        start_year=2012,
        end_year=2012,
        **in_three("title", "Plan de trabajo", "Plano de trabalho", "Work plan"),
    )


@pytest.fixture
def lines(plan):
    def line(number, slug, title):
        return LineOfWork.objects.create(
            plan=plan, number=number, slug=slug, title_es=title, title_en=f"{title} (en)"
        )

    return {
        "network": line(1, "2012-ampliar-la-red", "Ampliar la red"),
        "children": line(2, "2012-ninez", "Niñez y adolescencia"),
    }


def make_document(*, lines=(), **values) -> Document:
    number = next(_numbers)
    values.setdefault("title", f"Documento {number}")
    values.setdefault("slug", f"documento-{number}")
    values.setdefault("year", 2024)
    values.setdefault("summary", "Resumen del documento.")
    content = sample_pdf(values["title"])
    document = Document(
        original_name=f"{values['slug']}.pdf",
        content_type="application/pdf",
        size=len(content),
        **values,
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    document.lines.set(lines)
    services.document_refresh_search(document=document)
    return document


@pytest.fixture
def public_doc(lines):
    return make_document(
        title="Informe anual de la Unidad",
        slug="informe-anual",
        kind=Document.Kind.REPORT,
        year=2024,
        summary="Balance del año: prácticas publicadas y encuentros.",
        lines=[lines["network"]],
    )


@pytest.fixture
def members_doc(lines):
    return make_document(
        title="Acta de la reunión de coordinación",
        slug="acta-reservada",
        kind=Document.Kind.MINUTES,
        year=2019,
        audience=Document.Audience.MEMBERS,
        summary="Acuerdos con los contactos de las ciudades.",
        lines=[lines["network"]],
    )


def titles(response):
    return [document.title for document in response.context["documents"]]


# --- who sees what ---------------------------------------------------------------------


def test_visitor_sees_public_documents_only(visitor, public_doc, members_doc):
    response = visitor.get(LIBRARY)
    assert response.status_code == 200
    assert titles(response) == [public_doc.title]
    assert b"Acta de la reuni" not in response.content
    assert b"1 document" in response.content


def test_visitor_is_not_told_the_years_of_members_only_documents(visitor, public_doc, members_doc):
    field = visitor.get(LIBRARY).context["filter"].form.fields["year"]
    assert [value for value, _label in field.choices] == ["", "2024"]


@pytest.mark.parametrize("client_name", ["ana_client", "sofia_client"])
def test_members_see_members_only_documents(request, client_name, public_doc, members_doc):
    client = request.getfixturevalue(client_name)
    response = client.get(LIBRARY)
    assert titles(response) == [public_doc.title, members_doc.title]  # newest year first
    assert b"Member cities only" in response.content


@pytest.mark.parametrize(
    ("client_name", "expected"),
    [("visitor", 404), ("ana_client", 200), ("bruno_client", 200), ("sofia_client", 200)],
)
def test_members_only_detail_and_download(request, client_name, expected, members_doc):
    client = request.getfixturevalue(client_name)
    assert client.get(f"{LIBRARY}acta-reservada/").status_code == expected
    download = client.get(f"{LIBRARY}acta-reservada/download/")
    assert download.status_code == expected
    if expected == 200:
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_missing_and_members_only_documents_answer_the_same_404(visitor, members_doc):
    hidden = visitor.get(f"{LIBRARY}acta-reservada/")
    missing = visitor.get(f"{LIBRARY}no-such-document/")
    assert hidden.status_code == missing.status_code == 404
    assert visitor.get(f"{LIBRARY}no-such-document/download/").status_code == 404


def test_public_download_is_an_attachment_under_its_original_name(visitor, public_doc):
    response = visitor.get(f"{LIBRARY}informe-anual/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="informe-anual.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == sample_pdf(public_doc.title)


def test_download_of_a_file_gone_from_storage_is_404(visitor, public_doc, media):
    (media / public_doc.file.name).unlink()
    assert visitor.get(f"{LIBRARY}informe-anual/download/").status_code == 404


def test_download_refuses_post(visitor, public_doc):
    assert visitor.post(f"{LIBRARY}informe-anual/download/").status_code == 405


# --- detail ----------------------------------------------------------------------------


def test_detail_shows_facts_lines_and_download_link(visitor, public_doc, lines):
    response = visitor.get(f"{LIBRARY}informe-anual/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_shows(
        page, "<h1", "Informe anual de la Unidad", "Report", "2024", "Spanish", "Balance del año"
    )
    assert 'href="/en/unit/plan/2012/#line-1"' in page and "Ampliar la red (en)" in page
    assert 'href="/en/unit/library/informe-anual/download/"' in page
    assert "PDF" in page and "bytes" in page  # format and size of a small file


def test_members_only_detail_is_marked_for_members(ana_client, members_doc):
    assert b"Member cities only" in ana_client.get(f"{LIBRARY}acta-reservada/").content


# --- filters and search ----------------------------------------------------------------


@pytest.fixture
def shelf(lines):
    return {
        "plan": make_document(
            title="Plan de trabajo 2012",
            kind=Document.Kind.WORK_PLAN,
            year=2012,
            summary="Las líneas de trabajo de la Unidad.",
            lines=[lines["network"], lines["children"]],
        ),
        "children": make_document(
            title="Informe sobre políticas locales",
            kind=Document.Kind.REPORT,
            year=2020,
            language="pt-br",
            summary="Programas municipales de niñez y adolescencia en las ciudades.",
            lines=[lines["children"]],
        ),
        "training": make_document(
            title="Guide for new member cities",
            kind=Document.Kind.TRAINING,
            year=2024,
            language="en",
            summary="How a city takes part in the unit.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=work_plan", ["Plan de trabajo 2012"]),
        ("year=2020", ["Informe sobre políticas locales"]),
        ("language=en", ["Guide for new member cities"]),
        ("line=2012-ninez", ["Informe sobre políticas locales", "Plan de trabajo 2012"]),
        ("line=2012-ninez&kind=report", ["Informe sobre políticas locales"]),
        ("kind=training&year=2012", []),
    ],
)
def test_filters(visitor, shelf, query, expected):
    response = visitor.get(f"{LIBRARY}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_search_ignores_accents_and_highlights_the_summary(visitor, shelf):
    response = visitor.get(f"{LIBRARY}?q=ninez")
    assert titles(response) == ["Informe sobre políticas locales"]
    assert "<mark>niñez</mark>" in response.content.decode()


def test_search_ranks_title_matches_first(visitor, lines):
    make_document(title="Acta", year=2030, summary="Se habló de un informe.")
    make_document(title="Informe final", year=2001, summary="Resultados.")
    assert titles(visitor.get(f"{LIBRARY}?q=informe")) == ["Informe final", "Acta"]


def test_search_combines_with_filters(visitor, shelf):
    assert titles(visitor.get(f"{LIBRARY}?q=ninez&year=2020")) == [
        "Informe sobre políticas locales"
    ]
    assert titles(visitor.get(f"{LIBRARY}?q=ninez&year=2012")) == []
    assert titles(visitor.get(f"{LIBRARY}?q=city&kind=training")) == ["Guide for new member cities"]


def test_search_does_not_find_members_only_documents_for_visitors(visitor, ana_client, members_doc):
    assert titles(visitor.get(f"{LIBRARY}?q=acuerdos")) == []
    assert titles(ana_client.get(f"{LIBRARY}?q=acuerdos")) == [members_doc.title]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "kind=zzz",
        "line=nope",
        "language=xx",
        "page=abc",
        "page=99999",
        "page=-1",
        "year=1900",
        "q=%00",
        "q=%20%20",
        "line=%00&kind=%00&year=%00",
    ],
)
def test_bad_filter_values_are_ignored(visitor, shelf, query):
    response = visitor.get(f"{LIBRARY}?{query}")
    assert response.status_code == 200
    assert len(titles(response)) == 3


@pytest.mark.parametrize(
    "words",
    ["%3Cscript%3Ealert(1)%3C/script%3E", "%22%27%20%26%20%7C%20!%20:*", "palabra%20" * 300],
)
def test_odd_search_words_give_a_page_not_an_error(visitor, shelf, words):
    response = visitor.get(f"{LIBRARY}?q={words}")
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_bad_filter_value_is_reported_and_dropped(visitor, shelf):
    response = visitor.get(f"{LIBRARY}?kind=zzz&year=2020")
    assert titles(response) == ["Informe sobre políticas locales"]  # year still applied
    assert b"Some filters were not understood" in response.content


def test_pages_keep_the_filters_and_a_page_too_far_shows_the_last(visitor, lines):
    for n in range(23):
        make_document(title=f"Informe {n:02d}", kind=Document.Kind.REPORT, year=2024)
    make_document(title="Otra acta", kind=Document.Kind.MINUTES)
    first = visitor.get(f"{LIBRARY}?kind=report")
    assert len(titles(first)) == 20
    assert b"23 documents" in first.content
    assert "?kind=report&amp;page=2" in first.content.decode()
    last = visitor.get(f"{LIBRARY}?kind=report&page=99999")
    assert last.status_code == 200
    assert titles(last) == ["Informe 20", "Informe 21", "Informe 22"]


def test_empty_library_says_so(visitor, db):
    response = visitor.get(LIBRARY)
    assert response.status_code == 200
    assert b"No document matches" in response.content


# --- query budgets ---------------------------------------------------------------------


@pytest.fixture
def grow(lines):
    def build(count):
        for n in range(count):
            make_document(
                title=f"Informe de niñez {n}",
                kind=Document.Kind.REPORT if n % 2 else Document.Kind.MINUTES,
                year=2000 + n % 20,
                audience=Document.Audience.MEMBERS if n % 3 == 0 else Document.Audience.PUBLIC,
                lines=list(lines.values()),
            )

    return build


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize("client_name", ["visitor", "ana_client"])
@pytest.mark.parametrize("query", ["", "?q=ninez&line=2012-ninez&language=es"])
def test_library_query_count_does_not_grow(
    request, grow, count, client_name, query, get_within_queries
):
    grow(count)
    client = request.getfixturevalue(client_name)
    # Guards the N+1 of cards: the lines of each document come in one prefetch.
    response = get_within_queries(client, f"{LIBRARY}{query}", most=12)
    assert response.context["documents"]


@pytest.mark.parametrize("count", [1, 8])
def test_document_detail_query_count_does_not_grow(ana_client, plan, count, get_within_queries):
    lines = [
        LineOfWork.objects.create(plan=plan, number=n, slug=f"line-{n}", title_es=f"Línea {n}")
        for n in range(1, count + 1)
    ]
    make_document(slug="con-lineas", audience=Document.Audience.MEMBERS, lines=lines)
    # Guards the N+1 of the lines' plans (linked to their review): one prefetch with the plan.
    response = get_within_queries(ana_client, f"{LIBRARY}con-lineas/", most=12)
    assert response.content.decode().count('href="/en/unit/plan/2012/#line-') == count
