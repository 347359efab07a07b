from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("delete/", views.request_deletion, name="account_request_deletion"),
    path("delete/cancel/", views.cancel_deletion, name="account_cancel_deletion"),
    # Before allauth's own page of the same name (see views.user_sessions).
    path("sessions/", views.user_sessions, name="usersessions_list"),
    path("sessions/end-others/", views.end_other_sessions, name="usersessions_end_others"),
    path("sessions/<int:pk>/end/", views.end_session, name="usersessions_end"),
]
