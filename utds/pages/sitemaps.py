"""The sitemap of every public page kind."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cities.models import City, WorkingGroup
from events.models import Event
from experiences.models import Practice
from funding.models import FundingCall
from unit.models import Document, NewsItem, WorkPlan


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
            "unit:about",
            "unit:new_members",
            "unit:plan_index",
            "unit:library",
            "unit:news",
            "feeds",
            "api_guide",
            "api_reference",
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


class WorkingGroupSitemap(_ObjectSitemap):
    """The pages of the working groups and related thematic units."""

    priority = 0.5

    def items(self):
        return WorkingGroup.objects.order_by("pk").only("slug")


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


class PlanReviewSitemap(_ObjectSitemap):
    """The review of the work plan for every year a plan has covered so far."""

    priority = 0.5

    def items(self):
        years = set()
        for plan in WorkPlan.objects.only("start_year", "end_year"):
            years.update(plan.review_years())
        return sorted(years)

    def location(self, year):
        return reverse("unit:plan", kwargs={"year": year})


class NewsSitemap(_ObjectSitemap):
    priority = 0.6

    def items(self):
        return NewsItem.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class DocumentSitemap(_ObjectSitemap):
    """Public documents of the library only: members-only ones are never listed."""

    priority = 0.5

    def items(self):
        return (
            Document.objects.filter(audience=Document.Audience.PUBLIC)
            .order_by("pk")
            .only("slug", "updated_at")
        )

    def lastmod(self, document):
        return document.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "cities": CitySitemap,
    "groups": WorkingGroupSitemap,
    "practices": PracticeSitemap,
    "events": EventSitemap,
    "funding": FundingCallSitemap,
    "plan_reviews": PlanReviewSitemap,
    "news": NewsSitemap,
    "library": DocumentSitemap,
}
