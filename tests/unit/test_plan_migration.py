"""unit/0002 on a database made before plans had a required last year: each plan gets one
from its data (the year before the next plan; the 2012 plan, 2012; a last plan, its latest
reviewed year or its first year)."""

import pytest

from tests.funding.test_migration import migrate, migrate_to_latest
from unit.models import WorkPlan

BEFORE = [("unit", "0001_initial")]


@pytest.fixture
def old_apps(db):
    apps = migrate(BEFORE)
    yield apps
    migrate_to_latest()


def plan(apps, start, end=None):
    return apps.get_model("unit", "WorkPlan").objects.create(
        start_year=start, end_year=end, title_es="P", title_pt_br="P", title_en="P"
    )


def periods() -> list[tuple[int, int]]:
    return list(WorkPlan.objects.order_by("start_year").values_list("start_year", "end_year"))


def test_the_2012_plan_alone_covers_2012(old_apps):
    plan(old_apps, 2012)
    migrate_to_latest()
    assert periods() == [(2012, 2012)]


def test_open_plans_end_before_the_next_and_the_last_with_its_latest_note(old_apps):
    plan(old_apps, 2012)
    plan(old_apps, 2016, 2018)
    last = plan(old_apps, 2021)
    line = old_apps.get_model("unit", "LineOfWork").objects.create(
        plan=last, number=1, slug="l", title_es="L", title_pt_br="L", title_en="L"
    )
    old_apps.get_model("unit", "ReviewNote").objects.create(line=line, year=2023, body="Ok.")
    migrate_to_latest()
    assert periods() == [(2012, 2015), (2016, 2018), (2021, 2023)]


def test_a_last_plan_without_notes_covers_its_first_year(old_apps):
    plan(old_apps, 2024)
    migrate_to_latest()
    assert periods() == [(2024, 2024)]
