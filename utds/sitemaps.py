from django.contrib.sitemaps import Sitemap
from django.urls import reverse


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
