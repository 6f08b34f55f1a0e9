"""Atom feed of the public archive (R15: positions are communicated actively): each new
adjusted protocol and each position taken in it, newest first."""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import public

PROTOCOLS_IN_FEED = 20
POSITIONS_IN_FEED = 50


@dataclasses.dataclass(frozen=True)
class Item:
    guid: str
    title: str
    description: str
    link: str
    updated: datetime.datetime
    category: str


def _protocol_item(protocol):
    numbers = ""
    if protocol.first_number:
        numbers = f" §§ {protocol.first_number}–{protocol.last_number}"
    return Item(
        guid=f"protokoll-{protocol.pk}",
        title=_("Protokoll %(council)s %(date)s%(numbers)s")
        % {
            "council": protocol.council.name,
            "date": protocol.meeting.starts_at.date().isoformat(),
            "numbers": numbers,
        },
        description=protocol.meeting.title,
        link=reverse("archive:protocol", args=[protocol.pk]),
        updated=public.published_at(protocol),
        category=_("Protokoll"),
    )


def _position_item(entry):
    protocol = entry.protocol
    protocol.council = entry.council
    return Item(
        guid=f"stallningstagande-{entry.pk}",
        title=_("Ställningstagande § %(number)s %(council)s: %(title)s")
        % {"number": entry.number, "council": entry.council.name, "title": entry.title},
        description=entry.outcome_text,
        link=reverse("archive:protocol", args=[protocol.pk]) + f"#dokument-paragraf-{entry.pk}",
        updated=public.published_at(protocol),
        category=entry.focus_area.title if entry.focus_area else _("Ställningstagande"),
    )


class ArchiveFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        from .views_public import cacheable

        def feed(request, *args, **kwargs):
            response = super(ArchiveFeed, self).__call__(request, *args, **kwargs)
            # Django's feed sets Last-Modified from its newest item; the archive's validators
            # (a PDF finished, a council's setting changed) are the pages' own.
            del response.headers["Last-Modified"]
            return response

        return cacheable(feed)(request, *args, **kwargs)

    def title(self):
        return _("Samverkan: protokoll och ställningstaganden")

    def subtitle(self):
        return _(
            "Justerade protokoll och ställningstaganden från Regionala och Stora "
            "samverkansrådet i Västernorrland."
        )

    def link(self):
        return reverse("archive:index")

    def feed_url(self):
        return reverse("archive:feed")

    def author_name(self):
        return "Region Västernorrland"

    def items(self):
        protocols = [_protocol_item(p) for p in public.latest_protocols(PROTOCOLS_IN_FEED)]
        positions = [_position_item(e) for e in public.positions_queryset()[:POSITIONS_IN_FEED]]
        return sorted(protocols + positions, key=lambda i: (i.updated, i.guid), reverse=True)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        """Stable whatever host the feed is read through: the site's address and the item."""
        return f"{settings.SITE_URL.rstrip('/')}{item.link.split('#')[0]}#{item.guid}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.category]
