"""The OParl interface listing 3,000 agenda items in pages of 100 (issue: open data, point 6).

30 adjusted, published protocols of 100 § each (every second § a consensus position). Every
page of `/oparl/v1.1/body/rvn/agenda-item/?limit=100` is fetched, anonymously: the queries per
page (they must not grow with the page number: page 1 against page 30) and the median and p95
time per page. The meeting list (each meeting embeds its 100 §) is measured the same way.
"""

import datetime
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from meetings.models import AgendaItem
from protocols import canonical
from protocols.models import Protocol, ProtocolEntry
from tests.factories import make_council
from tests.protocols.support import started_meeting

PROTOCOLS = 30
ENTRIES = 100
LIMIT = 100


def _published(council, index):
    starts_at = timezone.now() - datetime.timedelta(days=400 - index * 10)
    meeting = started_meeting(council, starts_at=starts_at, title=f"Sammanträde {index + 1}")
    protocol = Protocol.objects.create(
        meeting=meeting,
        council=council,
        year=2026,
        adjust_by=timezone.localdate(starts_at),
    )
    first = index * ENTRIES
    ProtocolEntry.objects.bulk_create(
        ProtocolEntry(
            protocol=protocol,
            council=council,
            year=2026,
            number=first + n + 1,
            title=f"Punkt {first + n + 1} om regional utveckling",
            kind=AgendaItem.Kind.POSITION if n % 2 else AgendaItem.Kind.INFORMATION,
            outcome="consensus" if n % 2 else "noted",
            outcome_text="Rådet står bakom hållningen." if n % 2 else "Informationen noteras.",
            minutes="Föredragande redogjorde för ärendet.",
        )
        for n in range(ENTRIES)
    )
    protocol.status = Protocol.Status.ADJUSTED
    protocol.adjusted_at = starts_at + datetime.timedelta(days=7)
    protocol.checksum = canonical.checksum(protocol)
    protocol.save(update_fields=["status", "adjusted_at", "checksum"])


def _pages(client, kind, pages):
    url = reverse("oparl:list", args=["rvn", kind])
    timings, queries = [], {}
    for page in range(1, pages + 1):
        # Counted on a request of its own: capturing the queries would weigh on the timed one.
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"limit": LIMIT, "page": page})
        queries[page] = len(captured)
        started = time.perf_counter()
        response = client.get(url, {"limit": LIMIT, "page": page})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings, queries


def _figures(timings, queries):
    ordered = sorted(timings)
    return {
        "queries": queries,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
    }


def run():
    council = make_council(
        name="Regionala samverkansrådet (bench)",
        kind=Council.Kind.REGIONAL,
        publishes_protocols=True,
    )
    for index in range(PROTOCOLS):
        _published(council, index)
    client = Client()  # anonymous: the public record
    total = client.get(reverse("oparl:list", args=["rvn", "agenda-item"]), {"limit": LIMIT}).json()
    pages = total["pagination"]["totalPages"]
    results = {"agenda_items": total["pagination"]["totalElements"], "pages": pages}

    timings, queries = [], {}
    for _ in range(2):  # two rounds over every page
        more, queries = _pages(client, "agenda-item", pages)
        timings += more
    results[f"oparl agenda items @ page 1 of {pages}"] = _figures(timings, queries[1])
    results[f"oparl agenda items @ page {pages} of {pages}"] = _figures(timings, queries[pages])
    meeting_timings, meeting_queries = _pages(client, "meeting", 1)
    results["oparl meetings (30 × 100 §) @ page 1"] = _figures(
        meeting_timings * 1, meeting_queries[1]
    )
    grows = len(set(queries.values())) > 1
    results["oparl_queries_grow_with_page_number"] = "JA" if grows else "nej"
    return results
