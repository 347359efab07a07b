"""URLs of the events pages, calendars and registrations (the participation page, which
reads the portal's figures, is added by utds/urls.py)."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/change/", views.registration_change, name="change"),
    path("<slug:slug>/withdraw/", views.event_withdraw, name="withdraw"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/registrations.csv", views.registrations_export, name="registrations_csv"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
]
