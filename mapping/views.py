"""Pages of the joint map, the indicators, the open data, the CSV import and data entry."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.numbers import page_number
from core.tasks import enqueue

from . import comparisons, exports, importing, matrix, queries, services, tasks
from .filters import CityProblemFilter, IndicatorValueFilter
from .forms import (
    CityProblemForm,
    ImportConfirmForm,
    ImportUploadForm,
    IndicatorFilterForm,
    IndicatorValueForm,
    MatrixFilterForm,
)
from .models import CityProblem, Indicator, IndicatorValue, SocialProblem
from .permissions import can_import, get_editable_city, importable_city_ids


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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def city_edit(request, slug):
    city = get_editable_city(request.user, slug)
    kind = request.POST.get("form") if request.method == "POST" else None
    forms = {
        "problem": CityProblemForm(
            request.POST if kind == "problem" else None,
            prefix="problem",
            instance=queries.city_problem_to_edit(city, request.GET.get("edit_problem")),
        ),
        "value": IndicatorValueForm(
            request.POST if kind == "value" else None,
            prefix="value",
            instance=queries.indicator_value_to_edit(city, request.GET.get("edit_value")),
        ),
    }
    form = forms.get(kind)
    if form is not None and form.is_valid():
        save = services.city_problem_save if kind == "problem" else services.indicator_value_save
        save(city=city, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved. The table below shows the new figures."))
        return redirect(f"{request.path}#{kind}-list")
    data = queries.city_data(city)
    context = {"city": city, "problem_form": forms["problem"], "value_form": forms["value"]}
    return render(request, "mapping/city_edit.html", {**context, **data})
