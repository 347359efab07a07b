"""URLs of the unit's pages: about, plans, library and news."""

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
]
