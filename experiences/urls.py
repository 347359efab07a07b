"""URLs of the practices pages."""

from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import PracticeFeed

app_name = "experiences"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("new/", views.practice_create, name="create"),
    path("feed/", require_safe(PracticeFeed()), name="feed"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/edit/", views.practice_edit, name="edit"),
    path("<slug:slug>/submit/", views.practice_submit, name="submit"),
    path("<slug:slug>/publish/", views.practice_publish, name="publish"),
    path("<slug:slug>/request-changes/", views.practice_request_changes, name="request_changes"),
    path("<slug:slug>/archive/", views.practice_archive, name="archive"),
    path("<slug:slug>/unpublish/", views.practice_unpublish, name="unpublish"),
    path("<slug:slug>/restore/", views.practice_restore, name="restore"),
    path("<slug:slug>/feature/", views.practice_feature, name="feature"),
    path("<slug:slug>/changes/approve/", views.revision_approve, name="revision_approve"),
    path("<slug:slug>/changes/reject/", views.revision_reject, name="revision_reject"),
    path("<slug:slug>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
