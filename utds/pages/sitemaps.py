from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cities.models import City
from events.models import Event
from experiences.models import FundingCall, Practice


class StaticPagesSitemap(Sitemap):
    """The fixed pages, in every language (alternates carry hreflang)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "cities:list",
            "cities:join",
            "experiences:list",
            "mapping:index",
            "mapping:indicators",
            "events:list",
            "funding:list",
            "feeds",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class _ObjectSitemap(Sitemap):
    """Public objects, in every language (alternates carry hreflang)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    limit = 5000


class CitySitemap(_ObjectSitemap):
    priority = 0.7

    def items(self):
        return City.objects.order_by("pk").only("slug")


class PracticeSitemap(_ObjectSitemap):
    priority = 0.8

    def items(self):
        return Practice.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, practice):
        return practice.updated_at


class EventSitemap(_ObjectSitemap):
    priority = 0.6

    def items(self):
        return Event.objects.order_by("pk").only("slug")


class FundingCallSitemap(_ObjectSitemap):
    priority = 0.5

    def items(self):
        return FundingCall.objects.order_by("pk").only("slug")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "cities": CitySitemap,
    "practices": PracticeSitemap,
    "events": EventSitemap,
    "funding": FundingCallSitemap,
}
