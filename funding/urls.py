"""URLs of the funding calls under /funding/: the list, a call, and a city's interest."""

from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.funding_list, name="list"),
    path("<slug:slug>/", views.funding_detail, name="detail"),
    path("<slug:slug>/interest/", views.funding_interest, name="interest"),
]
