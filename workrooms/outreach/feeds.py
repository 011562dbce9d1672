"""Atom feed of a workroom's public items (the same registry as the page)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join

from core.sanitize import clean_html
from workrooms.outreach import showcase


class ShowcaseFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        data = showcase.showcase_data(pk)
        if data is None:
            raise Http404
        # Feed readers need absolute photo addresses; the instance is shared
        # between requests, so the site's address travels with the object.
        return {**data, "site": request.build_absolute_uri("/").rstrip("/")}

    def title(self, obj):
        return f"{obj['name']} · 动态"

    def link(self, obj):
        return reverse("showcase:page", args=[obj["pk"]])

    def subtitle(self, obj):
        return obj["research_direction"] or obj["name"]

    def items(self, obj):
        return [(obj["pk"], item, obj["site"]) for item in obj["items"][:50]]

    def item_title(self, item):
        return f"[{item[1].kind_label}] {item[1].title}"

    def item_description(self, item):
        _, public, site = item
        photos = format_html_join(
            "", '<p><img src="{}{}" alt="{}"></p>', ((site, i.url, i.caption) for i in public.images)
        )
        return clean_html(public.html) + photos

    def item_link(self, item):
        return reverse("showcase:page", args=[item[0]]) + f"#{item[1].key}"

    def item_guid(self, item):
        return f"showcase-{item[0]}-{item[1].key}"

    def item_pubdate(self, item):
        return showcase.item_datetime(item[1])
