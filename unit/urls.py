"""URLs of the unit's pages: about, plans, library, news, and the messages to coordinators."""

from django.urls import path

from . import feeds, views

# Included by utds/urls.py under /unit/ with the namespace "unit", beside the pages the
# portal composes from several apps (about, new members, plan review).
urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/<slug:slug>/", views.document_detail, name="document"),
    path("library/<slug:slug>/download/", views.document_download, name="document_download"),
    path("news/", views.news_list, name="news"),
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("messages/", views.message_list, name="messages"),
    path("messages/new/", views.message_write, name="message_new"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/edit/", views.message_write, name="message_edit"),
    path("messages/<int:pk>/send/", views.message_send, name="message_send"),
]
