"""The Atom feed and the sitemap of published items: withdrawn items leave them at once."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Entry


class LatestEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Newly disclosed government information")
    subtitle = _("The newest items of the disclosure catalog")

    def link(self):
        return reverse("catalog:index")

    def items(self):
        return Entry.objects.published().select_related("agency").order_by("-published_at", "-id")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.agency.name

    def item_guid(self, item):
        return item.index_number


class CatalogSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return Entry.objects.published().only("index_number", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"catalog": CatalogSitemap}
