"""The Atom feed of the unit's news."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.text import render_markdown

from . import queries

FEED_SIZE = 20


class NewsFeed(Feed):
    """The latest published news of the unit (Atom); drafts and scheduled items never."""

    feed_type = Atom1Feed

    def title(self):
        return _("UTDS Mercociudades news")

    def subtitle(self):
        return _("News of the Social Development Thematic Unit of Mercociudades.")

    def author_name(self):
        # Atom wants an author: the secretariat writes the news in the unit's name.
        return _("Social Development Thematic Unit of Mercociudades")

    def link(self):
        return reverse("unit:news")

    def feed_url(self):
        return reverse("unit:news_feed")

    def items(self):
        return queries.latest_news(FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Written by people, read by feed readers: the same allow-list as the pages.
        return render_markdown(item.body or item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [line.title for line in item.lines.all()]
