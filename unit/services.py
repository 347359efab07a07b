"""Writes of the unit's work that span rows: the library's search vector, a new work plan
started from the previous one, and the secretariat's messages to the coordinators."""

import re

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Max

from core.fulltext import config_for_row

from .models import Document, LineOfWork, WorkPlan


def document_search_vector():
    """Title (A) and summary (B), stemmed in the document's own language."""
    config = config_for_row()
    return SearchVector("title", weight="A", config=config) + SearchVector(
        "summary", weight="B", config=config
    )


def document_refresh_search(*, document: Document) -> None:
    """Rebuild one document's search vector after its title or summary changed."""
    Document.objects.filter(pk=document.pk).update(search_vector=document_search_vector())


def documents_refresh_search() -> int:
    """Rebuild every document's search vector (after a bulk load); returns the count."""
    return Document.objects.update(search_vector=document_search_vector())


def _copied_slug(slug: str, old_year: int, new_year: int, taken: set[str]) -> str:
    """The line's slug with the new plan's first year in place of the old one's."""
    base = re.sub(rf"^{old_year}-", "", slug)[:70]
    candidate, n = f"{new_year}-{base}", 2
    while candidate in taken:
        candidate, n = f"{new_year}-{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@transaction.atomic
def plan_start_from(*, plan: WorkPlan) -> WorkPlan:
    """A new work plan copying `plan`'s titles, summary and lines of work, for the period
    after the latest plan recorded and as long as `plan`'s, for the secretariat to edit.
    Review notes and the document stay with the old plan."""
    # One copy at a time: two clicks on the action must not both pick the same years.
    WorkPlan.objects.select_for_update().filter(pk=plan.pk).get()
    start = (WorkPlan.objects.aggregate(last=Max("end_year"))["last"] or plan.end_year) + 1
    copy = WorkPlan.objects.create(
        start_year=start,
        end_year=start + plan.end_year - plan.start_year,
        title_es=plan.title_es,
        title_pt_br=plan.title_pt_br,
        title_en=plan.title_en,
        summary_es=plan.summary_es,
        summary_pt_br=plan.summary_pt_br,
        summary_en=plan.summary_en,
    )
    taken = set(LineOfWork.objects.values_list("slug", flat=True))
    LineOfWork.objects.bulk_create(
        LineOfWork(
            plan=copy,
            number=line.number,
            slug=_copied_slug(line.slug, plan.start_year, start, taken),
            title_es=line.title_es,
            title_pt_br=line.title_pt_br,
            title_en=line.title_en,
            description_es=line.description_es,
            description_pt_br=line.description_pt_br,
            description_en=line.description_en,
            shows_profile_updates=line.shows_profile_updates,
        )
        for line in plan.lines.order_by("number")
    )
    return copy
