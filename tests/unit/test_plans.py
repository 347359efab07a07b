"""Work plans by period: every plan has a first and a last year, one plan is in force each
year, a year no plan covers has none (never another year's), and the secretariat starts a
new plan in the admin from the lines of the previous one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from unit import queries
from unit.models import LineOfWork, ReviewNote, WorkPlan

CHANGELIST = "/en/admin/unit/workplan/"


@pytest.fixture(autouse=True)
def english():
    """The model's messages are read in English here (the admin pages are under /en/)."""
    with translation.override("en"):
        yield


def make_plan(start_year, end_year, lines=("ninez", "financiamiento")) -> WorkPlan:
    plan = WorkPlan.objects.create(
        start_year=start_year,
        end_year=end_year,
        title_es="Plan de trabajo",
        title_pt_br="Plano de trabalho",
        title_en="Work plan",
        summary_en="Widen the network.",
    )
    for number, slug in enumerate(lines, start=1):
        LineOfWork.objects.create(
            plan=plan,
            number=number,
            slug=f"{start_year}-{slug}",
            title_es=slug.capitalize(),
            title_pt_br=slug.capitalize(),
            title_en=slug.upper(),
            description_en=f"About {slug}.",
            shows_profile_updates=number == 1,
        )
    return plan


def test_the_plan_in_force_is_the_one_whose_period_covers_the_year(db):
    first = make_plan(2012, 2012)
    second = make_plan(2023, 2025, lines=("ninez",))
    assert queries.plan_in_force(2012) == first
    assert queries.plan_in_force(2023) == second
    assert queries.plan_in_force(2025) == second
    for year in (2011, 2013, 2022, 2026):
        assert queries.plan_in_force(year) is None  # never an earlier plan reused
    assert list(WorkPlan.objects.covering(2024)) == [second]


def test_the_last_year_is_required_and_not_before_the_first(db):
    plan = WorkPlan(start_year=2020, title_es="P", title_pt_br="P", title_en="P")
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "end_year" in error.value.message_dict
    plan.end_year = 2019
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert error.value.message_dict["end_year"] == ["The last year cannot come before the first."]
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkPlan.objects.create(start_year=2020, title_es="P", title_pt_br="P", title_en="P")


@pytest.mark.parametrize(("start", "end"), [(2024, 2026), (2020, 2023), (2021, 2022), (2019, 2027)])
def test_overlapping_periods_are_refused(db, start, end):
    make_plan(2020, 2024)
    plan = WorkPlan(start_year=start, end_year=end, title_es="P", title_pt_br="P", title_en="P")
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "These years overlap the plan 2020–2024" in str(error.value)


def test_a_plan_may_follow_another_and_keep_its_own_years_when_edited(db):
    earlier = make_plan(2020, 2024)
    earlier.full_clean()  # its own period is no overlap
    WorkPlan(
        start_year=2025, end_year=2026, title_es="P", title_pt_br="P", title_en="P"
    ).full_clean()


def test_admin_overlap_is_shown_and_nothing_saved(sofia_client, db):
    plan = make_plan(2020, 2024)
    response = sofia_client.post(
        "/en/admin/unit/workplan/add/",
        {
            "start_year": "2023",
            "end_year": "2025",
            "title_es": "Otro",
            "title_pt_br": "Outro",
            "title_en": "Other",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "These years overlap the plan 2020–2024" in response.content.decode()
    assert list(WorkPlan.objects.all()) == [plan]


def test_start_a_new_plan_copies_the_lines_and_opens_the_copy(sofia_client, db):
    old = make_plan(2021, 2023)
    ReviewNote.objects.create(line=old.lines.get(number=1), year=2021, body="Done.")
    response = sofia_client.post(
        CHANGELIST, {"action": "start_new_plan", "_selected_action": [old.pk]}
    )
    new = WorkPlan.objects.get(start_year=2024)
    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/unit/workplan/{new.pk}/change/"
    assert (new.end_year, new.title_en, new.summary_en) == (2026, "Work plan", "Widen the network.")
    copied = list(new.lines.order_by("number"))
    assert [(line.number, line.slug, line.title_en) for line in copied] == [
        (1, "2024-ninez", "NINEZ"),
        (2, "2024-financiamiento", "FINANCIAMIENTO"),
    ]
    assert copied[0].shows_profile_updates and not copied[1].shows_profile_updates
    assert copied[0].description_en == "About ninez."
    assert not ReviewNote.objects.filter(line__plan=new).exists()
    assert old.lines.count() == 2  # the previous plan keeps its lines and notes
    page = sofia_client.get(response["Location"]).content.decode()
    assert "was created with the lines of the previous one" in page
    assert 'value="2024-ninez"' in page


def test_starting_twice_never_overlaps(sofia_client, db):
    old = make_plan(2012, 2012)
    for _ in range(2):
        sofia_client.post(CHANGELIST, {"action": "start_new_plan", "_selected_action": [old.pk]})
    assert list(WorkPlan.objects.order_by("start_year").values_list("start_year", "end_year")) == [
        (2012, 2012),
        (2013, 2013),
        (2014, 2014),
    ]
    assert LineOfWork.objects.filter(plan__start_year=2014, slug="2014-ninez").exists()


def test_start_needs_exactly_one_plan(sofia_client, db):
    plans = [make_plan(2012, 2012), make_plan(2013, 2014, lines=("x",))]
    response = sofia_client.post(
        CHANGELIST,
        {"action": "start_new_plan", "_selected_action": [p.pk for p in plans]},
        follow=True,
    )
    assert "Choose one plan to start the new one from." in response.content.decode()
    assert WorkPlan.objects.count() == 2


def test_coordinators_cannot_start_a_plan(ana_client, db):
    old = make_plan(2012, 2012)
    response = ana_client.post(
        CHANGELIST, {"action": "start_new_plan", "_selected_action": [old.pk]}
    )
    assert response.status_code in (302, 403)
    assert WorkPlan.objects.count() == 1
