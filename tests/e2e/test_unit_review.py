"""The secretariat follows the review page's "Write the review note of line N" link into the
admin, where line and year come filled, and writes the note; a visitor reads it on the year's
review page under its line, beside that line's activity, and opens the printable report.
axe-core runs on the public pages visited."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.unit.test_review import make_practice
from unit import demo
from unit.models import LineOfWork, ReviewNote, WorkPlan

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def plan_2012(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # seed() stores its sample documents
    demo.seed()
    line = LineOfWork.objects.get(slug="2012-intercambio-de-politicas")
    # the seeded plan covers 2012 alone; a plan is in force (and reviewable) only in its years
    WorkPlan.objects.filter(pk=line.plan_id).update(end_year=THIS_YEAR)
    return line


def test_secretariat_note_appears_under_its_line_with_the_lines_activity(
    page, new_context, sofia, password, city_a, plan_2012
):
    line = plan_2012
    make_practice(city_a, "Mesas barriales de niñez", lines=[line])

    log_in(page, sofia.email, password)
    page.goto(f"/en/unit/plan/{THIS_YEAR}/")
    page.get_by_role("link", name="Write the review note of line 2", exact=True).click()
    expect(page).to_have_url(f"/en/admin/unit/reviewnote/add/?line={line.pk}&year={THIS_YEAR}")
    expect(page.get_by_label("Line of work")).to_have_value(str(line.pk))
    expect(page.get_by_label("Year")).to_have_value(str(THIS_YEAR))
    page.get_by_label("Note").fill(
        "Quilmes **published** its first practice of the year.\n\n- Next: a shared workshop"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    note = ReviewNote.objects.get(line=line, year=THIS_YEAR)
    assert note.author == sofia

    page.goto(f"/en/unit/plan/{THIS_YEAR}/")  # the written note is now edited, not written again
    expect(page.get_by_role("link", name="Write the review note of line 2")).to_have_count(0)
    page.get_by_role("link", name="Edit the review note of line 2", exact=True).click()
    expect(page).to_have_url(f"/en/admin/unit/reviewnote/{note.pk}/change/")

    visitor = new_context().new_page()
    visitor.goto(f"/en/unit/plan/{THIS_YEAR}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Work plan review {THIS_YEAR}")
    section = visitor.locator("#line-2")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "2. Exchange and systematisation of local policies guaranteeing social rights"
    )
    expect(section.locator(".review-note strong")).to_have_text("published")
    expect(section.locator(".review-note")).to_contain_text("Next: a shared workshop")
    expect(section.get_by_role("link", name="Mesas barriales de niñez")).to_be_visible()
    expect(visitor.locator("#line-1 .review-note")).to_have_count(0)
    expect(visitor.locator("#line-1")).to_contain_text("No review note yet.")
    expect(visitor.locator(".review-note-write, .review-note-edit")).to_have_count(0)
    assert_accessible(visitor)

    visitor.get_by_role("link", name="Printable report").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Review report {THIS_YEAR}")
    expect(visitor.locator("#line-2 .review-note")).to_contain_text(
        "its first practice of the year"
    )
    expect(visitor.get_by_text("use your browser's Print command")).to_be_visible()
    assert_accessible(visitor)
