"""Routes of the mapping app, mounted by utds/urls.py under /mapping/ (namespace "mapping")."""

from django.urls import path

from . import views

app_name = "mapping"
urlpatterns = [
    path("", views.index, name="index"),
    path("problems/<slug:slug>/", views.problem_detail, name="problem"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("export/", views.export_index, name="export"),
    path("export/indicators.csv", views.export_indicators_csv, name="export_indicators_csv"),
    path("export/indicators.json", views.export_indicators_json, name="export_indicators_json"),
    path("export/problems.csv", views.export_problems_csv, name="export_problems_csv"),
    path("export/problems.json", views.export_problems_json, name="export_problems_json"),
    path("import/", views.import_values, name="import"),
    path("cities/<slug:slug>/edit/", views.city_edit, name="city_edit"),
    path("cities/<slug:slug>/profile/<int:year>/", views.profile_edit, name="profile"),
    path(
        "cities/<slug:slug>/profile/<int:year>/template.csv",
        views.profile_template,
        name="profile_template",
    ),
    path("cities/<slug:slug>/values/<int:pk>/remove/", views.value_remove, name="value_remove"),
    path(
        "cities/<slug:slug>/problems/<int:pk>/remove/", views.problem_remove, name="problem_remove"
    ),
]
