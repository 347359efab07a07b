"""The Atom feed of published practices."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.text import render_markdown

from .models import Practice, Theme

FEED_SIZE = 50


class PracticeFeed(Feed):
    """Latest published practices (Atom); `?theme=<slug>` narrows it to one theme."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        slug = request.GET.get("theme", "").replace("\x00", "")[:50]
        return Theme.objects.filter(slug=slug).first() if slug else None

    def title(self, theme):
        if theme:
            return _("UTDS Mercociudades practices: %(theme)s") % {"theme": theme.name}
        return _("UTDS Mercociudades practices")

    def subtitle(self, theme):
        return _("Local social-policy practices published by the member cities.")

    def link(self, theme):
        url = reverse("experiences:list")
        return theme.get_absolute_url() if theme else url

    def feed_url(self, theme):
        url = reverse("experiences:feed")
        return f"{url}?theme={theme.slug}" if theme else url

    def items(self, theme):
        practices = Practice.objects.published().with_card_data().order_by("-published_at")
        if theme:
            practices = practices.filter(themes=theme)
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
