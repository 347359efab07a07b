"""/peers/…: transfers of practices, questions to cities, the transfers' open data."""

from django.urls import path

from . import views

app_name = "peers"

urlpatterns = [
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/edit/", views.transfer_edit, name="transfer_edit"),
    path("practices/<slug:slug>/adopt/", views.transfer_create, name="transfer_create"),
    path("practices/<slug:slug>/ask/", views.ask_city, name="ask_city"),
    path("funding/<slug:slug>/ask/", views.ask_interested, name="ask_interested"),
    path("export/transfers.csv", views.transfers_csv, name="transfers_csv"),
    path("export/transfers.json", views.transfers_json, name="transfers_json"),
]

urlpatterns += [
    path("follow/", views.follow, name="follow"),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
