"""The Atom feed of published practices."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cities.models import City
from core.text import render_markdown
from mapping.models import SocialProblem

from .models import Practice, Theme

FEED_SIZE = 50
FILTERS = {"problem": SocialProblem, "city": City}


class UnknownFilter(Exception):
    """A filter of the query string names no row (its name is the argument)."""


@dataclass(frozen=True)
class FeedFilters:
    theme: Theme | None = None
    problem: SocialProblem | None = None
    city: City | None = None

    def chosen(self) -> dict:
        return {name: value for name, value in vars(self).items() if value is not None}

    def label(self) -> str:
        return " · ".join(str(value) for value in self.chosen().values())

    def query(self) -> str:
        return urlencode({name: value.slug for name, value in self.chosen().items()})


class PracticeFeed(Feed):
    """Latest published practices (Atom); `?theme=`, `?problem=` and `?city=` (slugs) narrow
    it to one theme, one social problem, one city (its own and partner practices)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except UnknownFilter as error:
            text = _("%(filter)s: unknown value.") % {"filter": error.args[0]}
            return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        slug = request.GET.get("theme", "").replace("\x00", "")[:50]
        chosen = {"theme": Theme.objects.filter(slug=slug).first() if slug else None}
        # ?problem= and ?city= name one row; an unknown one is refused like every filter.
        for name, model in FILTERS.items():
            if name in request.GET:
                value = request.GET[name].replace("\x00", "")[:200]
                chosen[name] = model.objects.filter(slug=value).first()
                if chosen[name] is None:
                    raise UnknownFilter(name)
        filters = FeedFilters(**chosen)
        return filters if filters.chosen() else None

    def title(self, filters):
        if filters:
            return _("UTDS Mercociudades practices: %(theme)s") % {"theme": filters.label()}
        return _("UTDS Mercociudades practices")

    def subtitle(self, theme):
        return _("Local social-policy practices published by the member cities.")

    def link(self, filters):
        url = reverse("experiences:list")
        return f"{url}?{filters.query()}" if filters else url

    def feed_url(self, filters):
        url = reverse("experiences:feed")
        return f"{url}?{filters.query()}" if filters else url

    def items(self, filters):
        practices = Practice.objects.published().with_card_data().order_by("-published_at")
        if filters and filters.theme:
            practices = practices.filter(themes=filters.theme)
        if filters and filters.problem:
            practices = practices.filter(social_problems=filters.problem)
        if filters and filters.city:
            practices = practices.for_city(filters.city)
        return practices[:FEED_SIZE]

    def item_title(self, practice):
        return f"{practice.title} ({practice.city.name})"

    def item_description(self, practice):
        return render_markdown(practice.summary)

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_author_name(self, practice):
        return practice.city.name

    def item_categories(self, practice):
        return [theme.name for theme in practice.themes.all()]
