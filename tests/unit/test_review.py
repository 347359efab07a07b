"""The periodic review of the work plan: /unit/plan/<year>/, its printable report and its CSV.

The year under review is the current one (a review exists only for years that have begun);
activities of the year before, drafts, cancelled events and activities of no line of the
plan must stay out.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from django.utils.text import slugify

from cities.models import UnitRole
from events.models import Event, Registration
from experiences.models import Practice
from funding.models import FundingCall
from peers.models import Transfer
from tests.experiences.conftest import create_practice
from tests.factories import CityFactory
from tests.http import assert_lacks, assert_shows, page_html
from tests.mapping.factories import CityProblemFactory, IndicatorValueFactory
from unit.models import Document, LineOfWork, ReviewNote, WorkPlan

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
BUDGET = 13  # one of them: the exchange line's practice transfers
CLIENTS = ["visitor", "ana_client", "bruno_client", "sofia_client"]

NOTE = (
    "The line **grew** this year.\n\n"
    "<script>alert('note-script')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "- Quilmes published\n"
)


def page_url(year=THIS_YEAR) -> str:
    return f"/en/unit/plan/{year}/"


def moment(year, month, day=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, 15, tzinfo=datetime.UTC)


# --- data --------------------------------------------------------------------------------------


def make_plan(start_year=2012, end_year=None) -> WorkPlan:
    plan = WorkPlan.objects.create(
        start_year=start_year,
        end_year=THIS_YEAR if end_year is None else end_year,  # a plan has a last year
        title_es="Plan de trabajo",
        title_pt_br="Plano de trabalho",
        title_en="Work plan of the unit",
        summary_en="Widen the network and exchange local policies.",
    )
    titles = [
        ("Exchange of local policies", False),
        ("Joint map of social problems", True),
        ("Funding for cooperation", False),
    ]
    for number, (title, profile) in enumerate(titles, start=1):
        LineOfWork.objects.create(
            plan=plan,
            number=number,
            slug=f"{start_year}-line-{number}",
            title_es=title,
            title_pt_br=title,
            title_en=title,
            description_en=f"What line {number} is about.",
            shows_profile_updates=profile,
            counts_practice_transfers=number == 1,  # the exchange line
        )
    return plan


def attach_plan_document() -> Document:
    """The 2012 plan's PDF, for members only, attached to the plan."""
    document = Document.objects.create(
        title="Plan 2012",
        slug="plan-2012",
        kind=Document.Kind.WORK_PLAN,
        year=2012,
        audience=Document.Audience.MEMBERS,
        file="unit/plan.pdf",
        original_name="plan.pdf",
        content_type="application/pdf",
    )
    WorkPlan.objects.filter(start_year=2012).update(document=document)
    return document


def line(number, start_year=2012) -> LineOfWork:
    return LineOfWork.objects.get(plan__start_year=start_year, number=number)


def make_practice(city, title, *, status=Practice.Status.PUBLISHED, published_at=None, **fields):
    """A practice published in March of the year under review unless said otherwise."""
    if status == Practice.Status.PUBLISHED and published_at is None:
        published_at = moment(THIS_YEAR, 3)
    return create_practice(city, title, status=status, published_at=published_at, **fields)


def make_transfer(practice, city, *, published_at):
    """`city` adapted `practice`: published at `published_at`, a draft when None."""
    status = Transfer.Status.DRAFT if published_at is None else Transfer.Status.PUBLISHED
    return Transfer.objects.create(
        practice=practice,
        city=city,
        started_on=datetime.date(2012, 1, 1),
        status=status,
        published_at=published_at,
        contact_email="contact@example.org",
    )


def make_event(title, *, lines=(), starts_at=None, cancelled=False, cities=(), waiting=()):
    starts_at = starts_at or moment(THIS_YEAR, 4)
    event = Event.objects.create(
        title=title,
        slug=slugify(title)[:200],
        kind=Event.Kind.MEETING,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        time_zone="America/Montevideo",
        cancelled=cancelled,
    )
    event.lines.set(lines)
    for city in cities:
        Registration.objects.create(event=event, city=city)
    for position, city in enumerate(waiting, start=1):
        Registration.objects.create(
            event=event, city=city, status=Registration.Status.WAITING, waiting_position=position
        )
    return event


def make_call(title, *, lines=(), opens_on, closes_on, funder="Fundación Ejemplo"):
    call = FundingCall.objects.create(
        title=title,
        slug=slugify(title)[:200],
        funder=funder,
        summary="Joint projects between cities.",
        opens_on=opens_on,
        closes_on=closes_on,
        link="https://funder.example/call",
    )
    call.lines.set(lines)
    return call


@pytest.fixture
def review_data(city_a, city_b, city_c):
    """The 2012 plan (still in force) and, for the current year: under line 1 a practice,
    an event with its participants and a funding call; profile updates for line 2; a note
    with hostile markup for line 1. Plus everything that must stay out."""
    make_plan()
    one, two, three = line(1), line(2), line(3)
    mesas = make_practice(city_a, "Mesas barriales de niñez", lines=[one])
    make_practice(city_a, "Borrador de huertas", lines=[one], status=Practice.Status.DRAFT)
    orcamento = make_practice(
        city_b, "Orçamento participativo", lines=[one], published_at=moment(LAST_YEAR, 6)
    )
    # transfers (line 1 is the exchange line): Montevideo's of this year counts; Porto
    # Alegre's draft and Quilmes's of last year do not
    make_transfer(mesas, city_c, published_at=moment(THIS_YEAR, 5))
    make_transfer(mesas, city_b, published_at=None)
    make_transfer(orcamento, city_a, published_at=moment(LAST_YEAR, 8))
    make_practice(city_b, "Práctica sin línea")
    make_event("Meeting of social ministers", lines=[one], cities=[city_a, city_b])
    make_event("Cancelled summit", lines=[one], cancelled=True, cities=[city_a])
    make_event("Webinar of last year", lines=[one], starts_at=moment(LAST_YEAR, 9))
    make_event("Waiting-list workshop", lines=[three], cities=[city_a], waiting=[city_c])
    make_call(
        "Cooperation fund",
        lines=[one],
        opens_on=datetime.date(LAST_YEAR, 11, 1),
        closes_on=datetime.date(THIS_YEAR, 2, 1),
        funder="EU-LAC Foundation",
    )
    make_call(
        "Closed call of last year",
        lines=[one],
        opens_on=datetime.date(LAST_YEAR, 1, 1),
        closes_on=datetime.date(LAST_YEAR, 12, 31),
    )
    CityProblemFactory(city=city_a, year=THIS_YEAR)
    CityProblemFactory(city=city_a, year=THIS_YEAR - 2)
    IndicatorValueFactory(city=city_a, year=THIS_YEAR)
    IndicatorValueFactory(city=city_b, year=LAST_YEAR)
    stale = CityProblemFactory(city=city_c, year=LAST_YEAR)
    # entered last year and never touched since: not an update of this year
    type(stale).objects.filter(pk=stale.pk).update(updated_at=moment(LAST_YEAR, 5))
    ReviewNote.objects.create(line=one, year=THIS_YEAR, body=NOTE)
    ReviewNote.objects.create(line=two, year=LAST_YEAR, body="A note of last year.")
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=LAST_YEAR)
    UnitRole.objects.create(
        city=city_c, role=UnitRole.Role.SUB_COORDINATOR, from_year=2012, to_year=2013
    )


def section(html: str, number: int) -> str:
    """The HTML of one line's section of the page."""
    start = html.index(f'id="line-{number}"')
    end = html.find('<section class="review-line"', start + 1)
    return html[start : end if end != -1 else len(html)]


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture(params=CLIENTS)
def html(request, review_data) -> str:
    """This year's review page as each of the cast sees it: the page is public, the same for all."""
    return page_html(request.getfixturevalue(request.param), page_url())


def test_page_lists_the_practices_of_the_line_published_that_year(html):
    one = section(html, 1)
    assert_shows(
        one,
        "Mesas barriales de niñez",
        'href="/en/practices/quilmes-ar-mesas-barriales-de-ninez/"',
        "Quilmes",
    )
    # a draft, a practice of last year and one of no line stay out, for everyone
    assert_lacks(html, "Borrador de huertas", "Orçamento participativo", "Práctica sin línea")
    assert "No practice of this line was published in" in section(html, 2)


def test_page_lists_events_with_their_participating_cities(html):
    one = section(html, 1)
    assert_shows(
        one,
        'href="/en/events/meeting-of-social-ministers/"',
        "Participating cities:",
        '<a href="/en/cities/porto-alegre-br/">Porto Alegre</a>',
        '<a href="/en/cities/quilmes-ar/">Quilmes</a>',
    )
    assert_lacks(html, "Cancelled summit", "Webinar of last year")
    # a city on the waiting list did not take part
    three = section(html, 3)
    assert "Waiting-list workshop" in three
    assert "Montevideo" not in three


def test_page_lists_funding_calls_open_during_the_year(html):
    one = section(html, 1)
    assert_shows(
        one,
        "Cooperation fund",
        "EU-LAC Foundation",
        'href="/en/funding/cooperation-fund/"',
        'href="https://funder.example/call"',
    )
    assert "Closed call of last year" not in html


def test_profile_updates_are_counted_under_the_flagged_line_only(html):
    two = section(html, 2)
    assert "Social profiles updated" in two
    # Quilmes entered two problems and one value this year, Porto Alegre a value about last
    # year; Montevideo's row was last changed last year
    assert_shows(
        two,
        "2 cities updated their social profile",
        '<a href="/en/cities/quilmes-ar/">Quilmes</a>',
        "3 entries",
    )
    assert "Montevideo" not in two
    assert "Social profiles updated" not in section(html, 1)


def test_the_exchange_line_lists_the_transfers_published_that_year(html):
    one = section(html, 1)
    transfer = Transfer.objects.get(city__name="Montevideo")
    assert_shows(
        one,
        'Practice transfers <span class="count">(1)</span>',
        "Montevideo took up “Mesas barriales de niñez” from Quilmes",
        f'href="/en/peers/transfers/{transfer.pk}/"',
    )
    # the draft and last year's transfer stay out; the contact is never shown
    assert_lacks(one, "Porto Alegre took up", "Quilmes took up", "contact@example.org")
    # only the exchange line counts transfers
    assert "Practice transfers" not in section(html, 2)


def test_the_migration_marks_the_exchange_line_and_its_copies(db):
    from importlib import import_module

    from django.apps import apps

    make_plan()
    make_plan(2014, 2015)
    LineOfWork.objects.filter(number=1).update(counts_practice_transfers=False)
    LineOfWork.objects.filter(slug="2012-line-1").update(slug="2012-intercambio-de-politicas")
    LineOfWork.objects.filter(slug="2014-line-1").update(slug="2014-intercambio-de-politicas")
    migration = import_module("unit.migrations.0005_lineofwork_counts_practice_transfers")
    migration.mark_the_exchange_line(apps, None)
    marked = LineOfWork.objects.filter(counts_practice_transfers=True)
    assert sorted(marked.values_list("slug", flat=True)) == [
        "2012-intercambio-de-politicas",
        "2014-intercambio-de-politicas",
    ]


def test_review_note_is_rendered_as_sanitised_markdown(html):
    one = section(html, 1)
    assert_shows(one, "<strong>grew</strong>", "<li>Quilmes published</li>")
    assert_lacks(html, "<script>", "note-script", "onerror")
    assert "<img" not in one
    assert "No review note yet." in section(html, 2)  # last year's note is not this year's


def test_page_shows_the_plan_coordination_summary_and_other_years(visitor, review_data):
    html = visitor.get(page_url()).content.decode()
    assert_shows(
        html,
        "<h1>Work plan review " + str(THIS_YEAR) + "</h1>",
        "Work plan of the unit",
        f"Coordination in {THIS_YEAR}",
        'href="/en/cities/quilmes-ar/">Quilmes</a> · Coordinator',
    )
    assert "Sub-coordinator" not in html  # Montevideo's period ended in 2013
    summary = html[html.index('class="data-table review-summary"') :]
    summary = summary[: summary.index("</table>")]
    first_row = summary[summary.index("1. Exchange of local policies") :]
    cells = first_row[: first_row.index("</tr>")]
    # 1 practice, 1 event, 1 call, 1 transfer (the exchange line)
    assert cells.count('<td class="numeric">1</td>') == 4
    assert "Written" in cells
    assert_shows(
        html,
        f'href="/en/unit/plan/{LAST_YEAR}/"',
        'href="/en/unit/plan/2012/"',
        f'href="/en/unit/plan/{THIS_YEAR}/report/"',
        f'href="/en/unit/plan/{THIS_YEAR}/review.csv"',
    )


def test_last_years_page_shows_last_years_activities(visitor, review_data):
    html = visitor.get(page_url(LAST_YEAR)).content.decode()
    assert_shows(
        html, "Orçamento participativo", "Webinar of last year", "Closed call of last year"
    )
    assert "Mesas barriales de niñez" not in html
    assert "A note of last year." in section(html, 2)


def test_plan_document_link_respects_its_audience(visitor, ana_client, review_data):
    document = attach_plan_document()
    link = 'href="/en/unit/library/plan-2012/"'
    assert link not in visitor.get(page_url()).content.decode()
    assert link in ana_client.get(page_url()).content.decode()
    Document.objects.filter(pk=document.pk).update(audience=Document.Audience.PUBLIC)
    assert link in visitor.get(page_url()).content.decode()


@pytest.mark.parametrize("year", ["1990", "2999", "abc", "0", str(THIS_YEAR + 1)])
@pytest.mark.parametrize("suffix", ["", "report/", "review.csv"])
def test_unknown_or_future_year_answers_404(visitor, review_data, year, suffix):
    path = f"/en/unit/plan/{year}/{suffix}"
    assert visitor.get(path).status_code == 404


def test_a_year_without_a_plan_says_so_and_keeps_its_figures(visitor, city_a, db):
    make_plan(start_year=2012, end_year=2015)
    assert "No work plan recorded for" not in visitor.get(page_url(2015)).content.decode()
    # a practice published in 2016 still counts in 2016, under no plan
    make_practice(city_a, "Práctica de 2016", published_at=moment(2016, 5))
    for suffix in ("", "report/"):
        html = page_html(visitor, f"{page_url(2016)}{suffix}")
        assert "No work plan recorded for 2016." in html
        assert "Exchange of local policies" not in html  # the 2012–2015 plan is not reused
        figures = html[html.index('id="figure-published"') :]
        assert '<td class="numeric">1</td>' in figures[: figures.index("</tr>")]
    rows = read_csv(visitor.get(f"{page_url(2016)}review.csv"))
    assert {row["activity_type"]: row["count"] for row in rows}["total_published"] == "1"
    assert not [row for row in rows if row["line_number"]]


def test_the_secretariat_gets_links_to_write_or_edit_each_review_note(
    visitor, ana_client, sofia_client, review_data
):
    note = ReviewNote.objects.get(line=line(1), year=THIS_YEAR)
    html = page_html(sofia_client, page_url())
    assert_shows(
        html,
        f'href="/en/admin/unit/reviewnote/{note.pk}/change/"',
        "Edit the review note of line 1",
        f'href="/en/admin/unit/reviewnote/add/?line={line(2).pk}&amp;year={THIS_YEAR}"',
        "Write the review note of line 2",
        "Write the review note of line 3",
    )
    for client in (visitor, ana_client):
        assert_lacks(page_html(client, page_url()), "Write the review note", "/admin/unit/")
    # the printable report carries no admin links
    assert "Write the review note" not in page_html(sofia_client, f"{page_url()}report/")


def test_the_write_link_opens_the_admin_form_for_that_line_and_year(sofia_client, review_data):
    path = f"/en/admin/unit/reviewnote/add/?line={line(2).pk}&year={THIS_YEAR}"
    response = sofia_client.get(path)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert str(form.initial["line"]) == str(line(2).pk)
    assert str(form.initial["year"]) == str(THIS_YEAR)


# --- the plan index ------------------------------------------------------------------------------


def test_plan_index_redirects_to_the_current_year_of_the_plan_in_force(visitor, review_data):
    response = visitor.get("/en/unit/plan/")
    assert response.status_code == 302
    assert response["Location"] == page_url(THIS_YEAR)


def test_plan_index_lists_past_plans_when_none_is_in_force(visitor, db):
    make_plan(start_year=2012, end_year=2015)
    html = page_html(visitor, "/en/unit/plan/")
    assert_shows(
        html,
        f"No work plan recorded for {THIS_YEAR}.",
        'href="/en/unit/plan/2015/"',
        'href="/en/unit/plan/2012/"',
    )
    assert 'href="/en/unit/plan/2016/"' not in html


def test_plan_index_without_plans_is_a_friendly_page(visitor, db):
    assert "No work plan has been published yet." in page_html(visitor, "/en/unit/plan/")


# --- the printable report ------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", CLIENTS)
def test_report_has_the_same_content_for_print(client_name, request, review_data):
    html = page_html(request.getfixturevalue(client_name), f"{page_url()}report/")
    assert_shows(html, f"<h1>Review report {THIS_YEAR}</h1>", 'class="plan-review review-report"')
    assert "use your browser&#x27;s Print command" in html or "use your browser's Print" in html
    assert "Mesas barriales de niñez" in section(html, 1)
    assert "<strong>grew</strong>" in section(html, 1)
    assert_lacks(html, "Borrador de huertas", "<script", "onerror", "Other years of this plan")


# --- the CSV -----------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert not body.startswith("\ufeff")  # plain UTF-8, like the other exports
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_has_one_row_per_line_and_activity_and_the_notes(visitor, review_data):
    response = visitor.get(f"{page_url()}review.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="utds-review-{THIS_YEAR}.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == [
        "year",
        "line_number",
        "line_title",
        "activity_type",
        "title",
        "cities",
        "date",
        "url",
        "count",
    ]
    found = {(row["line_number"], row["activity_type"], row["title"]): row for row in rows}
    practice = found[("1", "practice", "Mesas barriales de niñez")]
    assert practice["year"] == str(THIS_YEAR)
    assert practice["line_title"] == "Exchange of local policies"
    assert practice["cities"] == "Quilmes"
    assert practice["date"] == f"{THIS_YEAR}-03-10"
    assert practice["url"] == "http://testserver/en/practices/quilmes-ar-mesas-barriales-de-ninez/"
    event = found[("1", "event", "Meeting of social ministers")]
    assert event["cities"] == "Porto Alegre; Quilmes"
    assert event["date"] == f"{THIS_YEAR}-04-10"
    call = found[("1", "funding_call", "Cooperation fund")]
    assert call["date"] == f"{LAST_YEAR}-11-01/{THIS_YEAR}-02-01"
    assert ("2", "profile_update", "Social profile of Quilmes") in found
    transfer = found[("1", "transfer", "Mesas barriales de niñez")]
    assert transfer["cities"] == "Quilmes → Montevideo"
    assert transfer["date"] == f"{THIS_YEAR}-05-10"
    assert transfer["url"].startswith("http://testserver/en/peers/transfers/")
    assert [row["title"] for row in rows if row["activity_type"] == "transfer"] == [
        "Mesas barriales de niñez"
    ]
    assert found[("", "total_transfers", "Practice transfers published")]["count"] == "1"
    notes = [row for row in rows if row["activity_type"] == "review_note"]
    assert len(notes) == 1
    assert notes[0]["line_number"] == "1"
    assert notes[0]["title"].startswith("The line grew this year.")
    assert "Quilmes published" in notes[0]["title"]
    assert "<" not in notes[0]["title"] and "note-script" not in notes[0]["title"]
    assert notes[0]["url"].endswith(f"/en/unit/plan/{THIS_YEAR}/#line-1")
    titles = {row["title"] for row in rows}
    assert not titles & {
        "Borrador de huertas",
        "Orçamento participativo",
        "Práctica sin línea",
        "Cancelled summit",
        "Closed call of last year",
    }


def test_csv_neutralises_spreadsheet_formulas(visitor, review_data):
    make_practice(CityFactory(name="=HYPERLINK(1)", slug="formula-ar"), "@SUM(A1)", lines=[line(1)])
    ReviewNote.objects.create(line=line(3), year=THIS_YEAR, body="=1+1 is the count")
    rows = read_csv(visitor.get(f"{page_url()}review.csv"))
    practice = next(row for row in rows if row["title"].endswith("@SUM(A1)"))
    assert practice["title"] == "'@SUM(A1)"
    assert practice["cities"] == "'=HYPERLINK(1)"
    note = next(
        row for row in rows if row["line_number"] == "3" and row["activity_type"] == "review_note"
    )
    assert note["title"] == "'=1+1 is the count"


# --- query budgets -------------------------------------------------------------------------------


def populate(size):
    """`size` practices, events (each with `size` participants), calls, profile updates,
    coordinating cities and extra lines with notes, all of the current year; the plan's
    document is for members (one more query for a coordinator)."""
    plan = make_plan()
    attach_plan_document()
    lines = list(plan.lines.all())
    for n in range(size):
        own = lines[n % len(lines)]
        city = CityFactory()
        practice = make_practice(city, f"Practice {n}", lines=[own, lines[0]])
        participants = [CityFactory() for _ in range(size)]
        make_transfer(practice, participants[0], published_at=moment(THIS_YEAR, 3))
        make_event(f"Event {n}", lines=[own], cities=participants)
        make_call(
            f"Call {n}",
            lines=[own],
            opens_on=datetime.date(THIS_YEAR, 1, 1),
            closes_on=datetime.date(THIS_YEAR, 12, 31),
        )
        CityProblemFactory(city=city, year=THIS_YEAR)
        IndicatorValueFactory(city=city, year=THIS_YEAR)
        UnitRole.objects.create(city=city, role=UnitRole.Role.SUB_COORDINATOR, from_year=2012)
        if n < len(lines):
            ReviewNote.objects.create(line=lines[n], year=THIS_YEAR, body=f"Note {n}")
    for n in range(size):
        # more lines, each with its note, as a plan may have many
        extra = LineOfWork.objects.create(
            plan=plan,
            number=10 + n,
            slug=f"extra-{n}",
            title_es=f"Línea {n}",
            title_pt_br=f"Linha {n}",
            title_en=f"Line {n}",
            shows_profile_updates=True,
        )
        ReviewNote.objects.create(line=extra, year=THIS_YEAR, body=f"Extra note {n}")


@pytest.mark.parametrize("size", [1, 15])
@pytest.mark.parametrize("client_name", CLIENTS)
def test_review_pages_stay_within_budget(size, client_name, request, get_within_queries):
    populate(size)
    client = request.getfixturevalue(client_name)
    # N+1 guarded: each line's notes, practices (and their cities), events (and their
    # participants), funding calls, profile updates, and the coordinating cities.
    response = get_within_queries(client, page_url(), most=BUDGET)
    assert response.content.decode().count(">Practice ") >= size
    get_within_queries(client, f"{page_url()}report/", most=BUDGET)
    response = get_within_queries(client, f"{page_url()}review.csv", most=BUDGET)
    rows = read_csv(response)
    assert sum(row["activity_type"] == "practice" for row in rows) >= size
