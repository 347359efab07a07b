from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    # Before allauth's own page of the same name (see views.user_sessions).
    path("sessions/", views.user_sessions, name="usersessions_list"),
]
