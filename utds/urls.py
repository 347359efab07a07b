"""Every URL of the portal: the apps' URL sets under the language prefixes, and the portal's
own pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from cities import urls as cities_urls
from core import metrics
from events import urls as events_urls
from unit import urls as unit_urls
from utds.api.v1 import api
from utds.pages import account_data, api_docs, unit_review
from utds.pages import cities as city_pages
from utds.pages import dashboard as dashboard_pages
from utds.pages import groups as group_pages
from utds.pages import search as search_pages
from utds.pages import unit as unit_pages
from utds.pages import views as pages
from utds.pages.sitemaps import SITEMAPS

# /cities/…: the cities app's own routes plus the pages the portal composes from apps.
cities_patterns = [
    path("", city_pages.directory, name="list"),
    *cities_urls.urlpatterns,
    path("groups/<slug:slug>/", group_pages.group_detail, name="group"),
    path("<slug:slug>/", city_pages.profile, name="detail"),
]

# /events/…: the events app's own routes plus the participation page, from utds.figures.
events_patterns = [
    path("participation/", dashboard_pages.participation, name="participation"),
    *events_urls.urlpatterns,
]

# /unit/…: the unit app's own pages (library, news) plus those composed from several apps.
unit_patterns = [
    path("", unit_pages.about, name="about"),
    path("new-members/", unit_pages.new_members, name="new_members"),
    path("plan/", unit_review.plan_index, name="plan_index"),
    path("plan/<int:year>/", unit_review.plan, name="plan"),
    path("plan/<int:year>/report/", unit_review.report, name="plan_report"),
    path("plan/<int:year>/review.csv", unit_review.export_csv, name="plan_csv"),
    *unit_urls.urlpatterns,
]

urlpatterns = [
    path("healthz", pages.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("robots.txt", pages.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("cities/", include((cities_patterns, "cities"))),
    path("practices/", include("experiences.urls")),
    path("mapping/", include("mapping.urls")),
    path("events/", include((events_patterns, "events"))),
    path("dashboard/", dashboard_pages.dashboard, name="dashboard"),
    path("dashboard/export/<str:table>.csv", dashboard_pages.export_csv, name="dashboard_export"),
    path("privacy/", pages.privacy, name="privacy"),
    path("funding/", include("funding.urls")),
    path("peers/", include("peers.urls")),
    path("unit/", include((unit_patterns, "unit"))),
    path("search/", search_pages.search, name="search"),
    path("feeds/", pages.feeds, name="feeds"),
    path("data/api/", api_docs.guide, name="api_guide"),
    path("data/api/reference/", api_docs.reference, name="api_reference"),
    path("accounts/my-data.json", account_data.my_data, name="account_my_data"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    # Production serves public media from the web server or object storage. Practice
    # attachments (media/practices/) and library documents (media/unit/) are never served
    # directly: only through their download views, which check who may read them.
    urlpatterns += [
        re_path(
            r"^media/(?!practices/|unit/)(?P<path>.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler400 = "utds.pages.views.error_400"
handler403 = "utds.pages.views.error_403"
handler404 = "utds.pages.views.error_404"
handler500 = "utds.pages.views.error_500"
