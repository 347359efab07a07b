"""Pages of the joint map, the indicators, the open data, the CSV import and data entry."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.numbers import page_number, parse_int
from core.tasks import enqueue

from . import comparisons, exports, grid, importing, matrix, queries, services, tasks
from .filters import CityProblemFilter, IndicatorValueFilter
from .forms import ImportConfirmForm, ImportUploadForm, IndicatorFilterForm, MatrixFilterForm
from .models import CityProblem, Indicator, IndicatorValue, SocialProblem
from .permissions import (
    can_import,
    get_editable_city,
    get_editable_problem,
    get_editable_value,
    importable_city_ids,
)


def _query(**params) -> str:
    """A query string of the non-empty filters, for export links that carry a page's filters."""
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@require_safe
def index(request):
    form = MatrixFilterForm(
        request.GET or None,
        years=matrix.problem_years(),
        countries=matrix.problem_countries(),
    )
    selection = form.selection()
    context = {
        "form": form,
        "matrix": matrix.problem_matrix(**selection, page=page_number(request.GET)),
        "export_query": _query(**selection),
        "priorities": range(1, 6),
    }
    return render(request, "mapping/cityproblem_matrix.html", context)


@require_safe
def problem_detail(request, slug):
    problem = get_object_or_404(SocialProblem, slug=slug)
    context = {
        "problem": problem,
        "overview": matrix.problem_across_cities(problem),
        "export_query": _query(problem=problem.slug),
    }
    return render(request, "mapping/socialproblem_detail.html", context)


@require_safe
def indicator_list(request):
    context = {"groups": comparisons.indicators_by_theme()}
    return render(request, "mapping/indicator_list.html", context)


@require_safe
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator.objects.with_card_data(), slug=slug)
    values = comparisons.indicator_values(indicator)
    form = IndicatorFilterForm(
        request.GET or None, values=values, countries=comparisons.value_countries(values)
    )
    selection = form.selection()
    page = page_number(request.GET)
    overview = comparisons.indicator_overview(indicator, values, **selection, page=page)
    form.offer_cities([*overview.selected, *(v.city for v in overview.shown)])
    export_query = _query(
        indicator=indicator.slug,
        year=overview.year,
        breakdown=overview.breakdown,
        country=selection["country"],
    )
    context = {"indicator": indicator, "form": form, "overview": overview}
    return render(
        request, "mapping/indicator_detail.html", {**context, "export_query": export_query}
    )


@require_safe
def export_index(request):
    context = {
        "indicator_columns": exports.INDICATOR_COLUMNS,
        "problem_columns": exports.PROBLEM_COLUMNS,
        "indicator_filters": IndicatorValueFilter().filters,
        "problem_filters": CityProblemFilter().filters,
    }
    return render(request, "mapping/export_dictionary.html", context)


# Filters that bound an export to one indicator or one city (at most a few thousand rows).
BOUNDED_BY = ("indicator", "city")
# Each open-data set: its filter, the rows it starts from, its records and its CSV columns.
DATASETS = {
    "indicators": (
        IndicatorValueFilter,
        IndicatorValue,
        exports.indicator_records,
        exports.INDICATOR_COLUMNS,
    ),
    "problems": (CityProblemFilter, CityProblem, exports.problem_records, exports.PROBLEM_COLUMNS),
}


def _export(request, dataset: str, *, as_csv: bool):
    """Stream the filtered rows of `dataset` as CSV or JSON; 400 on malformed filters."""
    filter_class, model, records, columns = DATASETS[dataset]
    filterset = filter_class(request.GET, queryset=model.objects.all())
    if not filterset.is_valid():
        lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    if as_csv:
        response = exports.csv_response(columns, records(filterset.qs), f"utds-{dataset}.csv")
    else:
        response = exports.json_response(records(filterset.qs))
    if any(filterset.form.cleaned_data.get(name) for name in BOUNDED_BY):
        # One indicator or one city is a bounded file: sent whole, so that the page cache
        # can keep it for the next visitor. The whole database keeps streaming.
        whole = HttpResponse(b"".join(response.streaming_content))
        for header, value in response.headers.items():
            whole[header] = value
        return whole
    return response


@require_safe
def export_indicators_csv(request):
    return _export(request, "indicators", as_csv=True)


@require_safe
def export_indicators_json(request):
    return _export(request, "indicators", as_csv=False)


@require_safe
def export_problems_csv(request):
    return _export(request, "problems", as_csv=True)


@require_safe
def export_problems_json(request):
    return _export(request, "problems", as_csv=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_values(request):
    """Upload → checked preview (rows kept in the session) → confirm; see importing.py."""
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "digest" in request.POST:
        return _import_confirm(request)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    parsed = preview = None
    if posted and form.is_valid():
        parsed = importing.parse_indicator_csv(
            form.cleaned_data["file"].read(), allowed_city_ids=importable_city_ids(request.user)
        )
        if parsed.ok:
            importing.remember(request.session, parsed)
            preview = importing.preview(parsed)
    context = {
        "form": form,
        "parsed": parsed,
        "preview": preview,
        "confirm_form": preview and ImportConfirmForm(initial={"digest": parsed.digest}),
        "cities": queries.importable_cities(request.user),
    }
    return render(request, "mapping/indicatorvalue_import.html", context)


def _import_confirm(request):
    form = ImportConfirmForm(request.POST)
    rows = form.is_valid() and importing.recall(request.session, form.cleaned_data["digest"])
    if not rows:
        messages.error(request, _("This preview is no longer available; upload the file again."))
        return redirect("mapping:import")
    if len(rows) > getattr(settings, "IMPORT_BACKGROUND_ROWS", 500):
        # Too long for a request: a worker imports the rows and e-mails the result.
        enqueue(
            tasks.import_indicator_values,
            rows=[row.as_list() for row in rows],
            user_id=request.user.pk,
        )
        importing.forget(request.session)
        messages.success(
            request,
            _(
                "The import of %(count)s values is queued: it runs in the background, and an "
                "e-mail will tell you the result."
            )
            % {"count": len(rows)},
        )
        return redirect("mapping:import")
    try:
        outcome = services.indicator_values_import(rows=rows, by=request.user)
    except (PermissionDenied, IntegrityError):
        messages.error(request, _("The data changed since the preview; upload the file again."))
        return redirect("mapping:import")
    finally:
        importing.forget(request.session)
    message = ngettext(
        "Imported %(count)s value: %(created)s new, %(changed)s changed, %(unchanged)s unchanged.",
        "Imported %(count)s values: %(created)s new, %(changed)s changed, %(unchanged)s unchanged.",
        outcome.total,
    ) % {**vars(outcome), "count": outcome.total}
    messages.success(request, message)
    return redirect("mapping:import")


def _profile_year(year: int) -> int:
    """The year of a profile page: 404 outside the years the portal accepts."""
    if not importing.FIRST_YEAR <= year <= importing.last_year():
        raise Http404
    return year


@login_required
@require_safe
def city_edit(request, slug):
    """The data-entry door: the profile page of the year asked (`?year=`, the year picker)
    or of the latest year the city reported."""
    city = get_editable_city(request.user, slug)
    year = parse_int(
        request.GET.get("year"), min_value=importing.FIRST_YEAR, max_value=importing.last_year()
    )
    year = year or queries.latest_profile_year(city) or timezone.localdate().year
    return redirect("mapping:profile", slug=city.slug, year=year)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request, slug, year):
    """The city's indicators and problems of one year, saved at once (mapping/grid.py)."""
    city = get_editable_city(request.user, slug)
    year = _profile_year(year)
    if request.method != "POST":
        return _grid_page(request, grid.build_grid(city, year))
    sheet = grid.build_grid(city, year, request.POST)
    if "add_row" in request.POST or "back" in request.POST:
        return _grid_page(request, sheet, checked=False)
    if not sheet.is_valid():
        return _grid_page(request, sheet)
    entries = {"values": sheet.value_entries(), "problems": sheet.problem_entries()}
    try:
        if "confirm" not in request.POST and (replacements := sheet.replacements()):
            services.city_profile_check(city=city, year=year, **entries)
            context = {"city": city, "year": year, "replacements": replacements}
            context["carried"] = grid.carried(request.POST)
            return render(request, "mapping/profile_confirm.html", context)
        outcome = services.city_profile_save(city=city, year=year, **entries, by=request.user)
    except services.StaleProfileError as error:
        return _stale_page(request, sheet, error.stale)
    messages.success(request, _saved_message(outcome))
    return redirect("mapping:profile", slug=city.slug, year=year)


def _saved_message(outcome) -> str:
    if not outcome.total:
        return _("Nothing changed: every figure was already stored.")
    return ngettext(
        "Saved: %(count)s change.",
        "Saved: %(count)s changes.",
        outcome.total,
    ) % {"count": outcome.total}


def _stale_page(request, sheet, stale):
    """409: someone else changed rows of this year since the page was loaded. The page comes
    back with everything typed, starting from their figures."""
    changed = grid.describe_stale(sheet, stale)
    fresh = grid.build_grid(sheet.city, sheet.year, grid.refreshed(request.POST, stale))
    fresh.is_valid()
    return _grid_page(request, fresh, status=409, stale=changed)


def _grid_page(request, sheet, *, checked=True, status=200, stale=()):
    context = {
        "city": sheet.city,
        "year": sheet.year,
        "grid": sheet,
        "checked": checked and request.method == "POST",
        "stale": stale,
        "years": queries.profile_years(sheet.city),
    }
    return render(request, "mapping/profile_edit.html", context, status=status)


@login_required
@require_safe
def profile_template(request, slug, year):
    """The year's profile as a CSV in the import format, to fill in a spreadsheet."""
    city = get_editable_city(request.user, slug)
    return exports.profile_template_response(city, _profile_year(year))


def _remove(request, entry, remove, done: str, kind: str):
    """GET shows what would be removed; POST removes it through `remove` (its history keeps
    it) and goes back to the profile of its year."""
    if request.method == "POST":
        remove(entry, by=request.user)
        messages.success(request, done)
        return redirect("mapping:profile", slug=entry.city.slug, year=entry.year)
    context = {"city": entry.city, "year": entry.year, "value": None, "problem": None}
    return render(request, "mapping/profile_remove.html", {**context, kind: entry})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def value_remove(request, slug, pk):
    def remove(value, by):
        services.indicator_value_remove(value=value, by=by)

    value = get_editable_value(request.user, slug, pk)
    return _remove(request, value, remove, _("The value was removed."), "value")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def problem_remove(request, slug, pk):
    def remove(problem, by):
        services.city_problem_remove(problem=problem, by=by)

    entry = get_editable_problem(request.user, slug, pk)
    return _remove(request, entry, remove, _("The problem was removed."), "problem")
