"""The cities app's own pages: the coordinators' profile form and the open-data files.

The directory and the profile page combine several apps, so they live in utds/pages/cities.py.
"""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from core.spreadsheet import safe_cell

from . import queries
from .filters import CityFilter
from .forms import CityProfileForm, FocalPointFormSet
from .permissions import get_editable_city
from .profile_services import city_profile_update

# The open-data columns, in order. Stable: documented in README.md ("Open data: cities").
# Never add focal points, coordinators or anything else about people here.
EXPORT_COLUMNS = [
    "slug",
    "name",
    "country_code",
    "country_name",
    "state_province",
    "state_code",
    "latitude",
    "longitude",
    "population",
    "population_year",
    "population_source",
    "status",
    "membership_verified",
    "role_in_unit",
    "joined_year",
    "website",
    "working_groups",
    "url",
]
# Free-text columns a spreadsheet could take for a formula (CSV injection).
CSV_TEXT_COLUMNS = {"name", "state_province", "population_source", "website"}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, slug):
    city = get_editable_city(request.user, slug)
    data = request.POST if request.method == "POST" else None
    form = CityProfileForm(data, instance=city)
    formset = FocalPointFormSet(data, instance=city, prefix="contacts")
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        confirm_all = form.cleaned_data["confirm_contacts"]
        city_profile_update(city=city, form=form, formset=formset, confirm_all=confirm_all)
        messages.success(request, _("The profile of %(city)s was saved.") % {"city": city.name})
        return redirect(city)
    context = {"city": city, "form": form, "formset": formset}
    return render(request, "cities/city_edit.html", context)


@require_safe
def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_csv_row(row) for row in _export_rows(request))
    return _attachment(response, "utds-cities.csv")


@require_safe
def export_json(request):
    body = json.dumps(_export_rows(request), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, "utds-cities.json")


def _export_rows(request) -> list[dict]:
    """The directory's cities, with the directory's filters, as plain values."""
    queryset = queries.export_cities(request.user)
    cities = CityFilter(request.GET, queryset=queryset, request=request).qs
    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    return [
        {
            "slug": city.slug,
            "name": city.name,
            "country_code": city.country.code,
            "country_name": english.get(city.country.code, ""),
            "state_province": city.state_province,
            "state_code": city.state_code,
            "latitude": float(city.latitude) if city.latitude is not None else None,
            "longitude": float(city.longitude) if city.longitude is not None else None,
            "population": city.population,
            "population_year": city.population_year,
            "population_source": city.population_source,
            "status": city.status,
            "membership_verified": city.membership_verified,
            "role_in_unit": city.current_role or queries.ROLE_MEMBER,
            "joined_year": city.joined_year,
            "website": city.website,
            "working_groups": [group.slug for group in city.working_groups.all()],
            "url": request.build_absolute_uri(city.get_absolute_url()),
        }
        for city in cities
    ]


def _csv_row(row: dict) -> dict:
    """One CSV line: empty cells for nulls, true/false, slugs joined by semicolons."""
    cells = {}
    for column, value in row.items():
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ";".join(value)
        elif column in CSV_TEXT_COLUMNS:
            value = safe_cell(value)
        cells[column] = value
    return cells


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Public data: any site may fetch it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response
