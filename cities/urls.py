"""Routes of the cities app. utds/urls.py mounts them under /cities/ in the `cities`
namespace, together with the directory and profile pages that the portal layer composes."""

from django.urls import path

from . import membership_views, views

urlpatterns = [
    path("join/", membership_views.join, name="join"),
    path("join/sent/", membership_views.join_sent, name="join_sent"),
    path("invitation/<str:token>/", membership_views.invitation_accept, name="invitation_accept"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
]
