"""Full-text search over ten years: 120 meetings with 3,000 agenda items, 120 adjusted
protocols with 1,500 paragraphs, 1,000 attachments of about five pages of Swedish text each —
words drawn from the strategic plan (docs/source/strategisk-plan-rus.txt), rows made with
bulk_create.

- p50 and p95 of 200 varied queries (single words, two words, phrases, exclusions, partial
  words and typos that take the trigram pass) through `search.selectors.search`, the page's
  own call (counts, ranked ids, the page's rows with their headlines), for a council member
  and for the secretariat. Goal: p95 ≤ 30 ms on PostgreSQL.
- The time to rebuild the whole index (`search.indexing.reindex_all`, what
  `manage.py reindex_search` does after the files' text is extracted).
"""

import datetime
import random
import re
import statistics
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils.models import Council
from meetings.models import AgendaItem, Attachment, AttachmentVersion, Meeting
from protocols.models import Protocol, ProtocolEntry
from search import indexing
from search.models import FileText
from search.selectors import search
from tests.factories import make_council, make_member_user, make_secretariat_user

SOURCE = Path(__file__).resolve().parents[1] / "docs" / "source" / "strategisk-plan-rus.txt"
YEARS = range(2016, 2026)
MEETINGS_PER_YEAR = 12  # ten of the Regionala, two of the Stora samverkansrådet
ITEMS_PER_MEETING = 25
ENTRIES_PER_PROTOCOL = (12, 13)  # 1,500 over 120 protocols
ATTACHMENTS = 1000
WORDS_PER_PAGE = 380
QUERIES = 200


def _vocabulary():
    """The plan's words of four letters or more, with how often the plan uses each."""
    words = re.findall(r"[A-Za-zÅÄÖåäöÉé]{4,}", SOURCE.read_text(encoding="utf-8"))
    return Counter(word.lower() for word in words)


class _Text:
    """Swedish-looking text: the plan's words as often as the plan uses them, and one word in
    five a compound of two of them ("regionalutveckling"), as Swedish makes words. The plan
    alone has under 600 distinct words: five pages drawn from those only would put nearly every
    word in nearly every document, which no real archive does."""

    COMPOUNDS = 0.2

    def __init__(self, vocabulary, rng):
        self.words = sorted(vocabulary)
        self.cumulative = list(accumulate(vocabulary[word] for word in self.words))
        self.rng = rng

    def word(self):
        first = self.rng.choices(self.words, cum_weights=self.cumulative)[0]
        if self.rng.random() < self.COMPOUNDS:
            return first + self.rng.choices(self.words, cum_weights=self.cumulative)[0]
        return first

    def words_(self, n):
        return " ".join(self.word() for _ in range(n))

    def sentence(self, n=12):
        text = self.words_(n)
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, n):
        sentences = []
        while n > 0:
            length = min(n, self.rng.randint(8, 18))
            sentences.append(self.sentence(length))
            n -= length
        return " ".join(sentences)


def _build(text, rng):
    regional = make_council(name="Regionala samverkansrådet", kind=Council.Kind.REGIONAL)
    broad = make_council(name="Stora samverkansrådet", kind=Council.Kind.BROAD)
    Council.objects.filter(pk__in=[regional.pk, broad.pk]).update(publishes_protocols=True)
    member = make_member_user(regional, username="benchledamot")
    secretariat = make_secretariat_user(username="benchkansli")

    meetings = []
    for year in YEARS:
        for month in range(1, MEETINGS_PER_YEAR + 1):
            council = broad if month in (5, 10) else regional
            starts = timezone.make_aware(datetime.datetime(year, month, 12, 9, 0))
            meetings.append(
                Meeting(
                    council=council,
                    kind=Meeting.Kind.MONTHLY_DIGITAL,
                    title=f"Månadsmöte: {text.words_(3)}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place=text.words_(2).title(),
                    status=Meeting.Status.MINUTES_ADJUSTED,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings)

    items = []
    for meeting in meetings:
        for position in range(ITEMS_PER_MEETING):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    title=text.sentence(rng.randint(4, 9)).rstrip("."),
                    kind=rng.choice([AgendaItem.Kind.INFORMATION, AgendaItem.Kind.POSITION]),
                    position=position,
                    background=text.paragraph(rng.randint(30, 90)),
                    questions=text.sentence() if rng.random() < 0.3 else "",
                )
            )
    items = AgendaItem.objects.bulk_create(items, batch_size=1000)

    protocols = Protocol.objects.bulk_create(
        Protocol(
            meeting=meeting,
            council=meeting.council,
            year=meeting.starts_at.year,
            status=Protocol.Status.DRAFT,
            adjust_by=meeting.starts_at.date() + datetime.timedelta(days=14),
        )
        for meeting in meetings
    )
    numbers = {}
    entries = []
    by_meeting = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    for index, protocol in enumerate(protocols):
        count = ENTRIES_PER_PROTOCOL[index % 2]
        for item in by_meeting[protocol.meeting_id][:count]:
            key = (protocol.council_id, protocol.year)
            numbers[key] = numbers.get(key, 0) + 1
            consensus = item.kind == AgendaItem.Kind.POSITION
            entries.append(
                ProtocolEntry(
                    protocol=protocol,
                    council_id=protocol.council_id,
                    year=protocol.year,
                    number=numbers[key],
                    agenda_item=item,
                    title=item.title,
                    kind=item.kind,
                    minutes=text.paragraph(rng.randint(40, 120)),
                    outcome=(
                        ProtocolEntry.Outcome.CONSENSUS
                        if consensus
                        else ProtocolEntry.Outcome.NOTED
                    ),
                    outcome_text=text.paragraph(30) if consensus else "Informationen noteras.",
                )
            )
    ProtocolEntry.objects.bulk_create(entries, batch_size=1000)
    # Adjusted after the paragraphs are written (the database refuses changes to an adjusted
    # protocol's rows); three of ten years' protocols stay drafts of the last year.
    Protocol.objects.exclude(year=YEARS[-1], meeting__starts_at__month__gt=9).update(
        status=Protocol.Status.ADJUSTED, adjusted_at=timezone.now()
    )

    attached = rng.sample(items, ATTACHMENTS)
    attachments = Attachment.objects.bulk_create(
        Attachment(item=item, title=f"Underlag: {text.words_(3)}") for item in attached
    )
    versions = AttachmentVersion.objects.bulk_create(
        AttachmentVersion(
            attachment=attachment,
            number=1,
            file=f"agenda/bench/{attachment.pk}.pdf",
            original_name=f"underlag-{attachment.pk}.pdf",
            content_type="application/pdf",
            size=100_000,
        )
        for attachment in attachments
    )
    FileText.objects.bulk_create(
        (
            FileText(
                key=f"attachment_version:{version.pk}",
                text="\n\n".join(text.paragraph(WORDS_PER_PAGE) for _ in range(5)),
                extracted=True,
            )
            for version in versions
        ),
        batch_size=200,
    )
    return member, secretariat


def _queries(text, rng):
    """200 varied questions: words of the plan (any of them, common or rare), compounds, two
    words, phrases, exclusions, and beginnings of words and typos (the typo pass)."""

    def any_word():
        return rng.choice(text.words)

    queries = []
    for n in range(QUERIES):
        kind = n % 10
        if kind < 3:
            queries.append(any_word())
        elif kind == 3:
            queries.append(text.word())  # as common as in the text
        elif kind == 4:
            queries.append(any_word() + any_word())
        elif kind < 7:
            queries.append(f"{any_word()} {any_word()}")
        elif kind == 7:
            queries.append(f'"{text.word()} {text.word()}"')
        elif kind == 8:
            queries.append(f"{any_word()} -{text.word()}")
        else:
            word = rng.choice([w for w in text.words if len(w) > 7])
            cut = rng.randint(1, len(word) - 2)
            # A typo (a letter dropped) or the word's first letters.
            queries.append(word[:cut] + word[cut + 1 :] if n % 20 == 9 else word[:6])
    return queries


def _percentiles(timings, sql_queries):
    """The scoreboard's page figures: "queries" is SQL queries per search (as every other
    row's is per request), "searches" how many were timed."""
    ordered = sorted(timings)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    per_search = round(sql_queries / len(timings), 1)
    return {
        "searches": len(timings),
        "queries": int(per_search) if per_search.is_integer() else per_search,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
    }


def _time_queries(user, queries):
    for query in queries[:10]:  # warm the caches and the connection
        search(user, query)
    # The SQL statements are counted on a pass of their own: the debug cursor that captures
    # them would weigh on the timed searches.
    with CaptureQueriesContext(connection) as captured:
        for query in queries:
            search(user, query)
    statements = len(captured)
    timings = []
    hits = 0
    for query in queries:
        started = time.perf_counter()
        results = search(user, query)
        timings.append((time.perf_counter() - started) * 1000)
        hits += bool(results.total)
    summary = _percentiles(timings, statements)
    summary["with_hits"] = hits
    return summary


def run():
    rng = random.Random(15)
    text = _Text(_vocabulary(), rng)
    started = time.perf_counter()
    member, secretariat = _build(text, rng)
    built = time.perf_counter() - started

    started = time.perf_counter()
    documents = indexing.reindex_all()
    reindex = time.perf_counter() - started
    indexing.tidy()  # as `manage.py reindex_search` does after the rebuild

    queries = _queries(text, rng)
    return {
        "database": connection.vendor,
        "agenda items": AgendaItem.objects.count(),
        "protocol paragraphs": ProtocolEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "attachment text (MB)": round(
            sum(len(t) for t in FileText.objects.values_list("text", flat=True)) / 1e6, 1
        ),
        "index documents": documents,
        "data built (s)": round(built, 1),
        "reindex (s)": round(reindex, 1),
        "search (member) @ 10 years": _time_queries(member, queries),
        "search (secretariat) @ 10 years": _time_queries(secretariat, queries),
    }
