"""The search itself: what a user may find for a query, ranked, counted per kind, with snippets.

Rights are part of the query (`visible_documents`): a row the user may not see is never
matched, so it cannot show in a count, a snippet or a page number either.

On PostgreSQL: `websearch_to_tsquery('swedish', …)` (so `"regional utveckling" -buss` works),
Swedish stemming, `ts_rank` with the weights title A, position text B, body C, file text D, and
`ts_headline` snippets. Every stem of four letters or more also matches as the beginning of a
longer word ("Norrbotnia" finds "Norrbotniabanan"). When that finds little, a second pass
looks each word up in the dictionary of indexed words by trigram similarity (pg_trgm,
`SearchWord`) and searches again with the words found ("Norbotniabanan" → norrbotniabanan).
No unaccent: "ö" is not "o".

On SQLite (the embedded default) a plain case-insensitive containment over the same columns,
with the same rights and the same page (README: "Search").
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Left, Length, Lower, StrIndex, Substr
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import registry
from .indexing import uses_postgres
from .models import SearchDocument, SearchWord
from .sqlite import Folded

PAGE_SIZE = 20
# Fewer full-text hits than this and the trigram pass adds what is similar.
FEW = 3
MAX_QUERY = 200
SNIPPET_WORDS = 30

# Marks from ts_headline, replaced after HTML-escaping the text (so a "<" in a document can
# never become markup): private-use characters no document contains.
START, STOP = "\ue000", "\ue001"


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str  # safe HTML, matched words in <mark>
    snippet: str  # safe HTML
    url: str
    context: str
    date: object
    fuzzy: bool = False


@dataclass
class Results:
    query: str
    total: int = 0
    counts: dict = field(default_factory=dict)  # {kind: n}, over every kind, filters applied
    hits: list = field(default_factory=list)
    page: int = 1
    pages: int = 0
    fuzzy: bool = False  # the trigram pass added results

    @property
    def kind_counts(self):
        return [(kind.name, kind.label, self.counts.get(kind.name, 0)) for kind in registry.kinds()]


def visible_documents(user):
    """Every index row `user` may see: each kind's own rule, from its app's access.py. Worked
    out once per request (kept on the user object, like `roles_for`)."""
    condition = getattr(user, "_search_visible", None)
    if condition is None:
        condition = registry.NOTHING
        for kind in registry.kinds():
            condition |= Q(kind=kind.name) & kind.visible(user)
        if user.is_authenticated:
            user._search_visible = condition
    return SearchDocument.objects.filter(condition)


def _filtered(user, *, council=None, year=None, focus_area=None):
    documents = visible_documents(user)
    if council:
        documents = documents.filter(council_id=council)
    if year:
        documents = documents.filter(year=year)
    if focus_area:
        documents = documents.filter(focus_area_id=focus_area)
    return documents


def _counts(documents):
    return dict(documents.order_by().values_list("kind").annotate(n=Count("pk")))


def search(user, query, *, council=None, year=None, kind=None, focus_area=None, page=1):
    """One page of what `user` may find for `query`, with the counts per kind."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    results = Results(query=query, page=max(1, page))
    if not query:
        return results
    documents = _filtered(user, council=council, year=year, focus_area=focus_area)
    if uses_postgres():
        _search_postgres(results, user, documents, kind)
    else:
        _search_contains(results, user, documents, kind)
    results.pages = -(-results.total // PAGE_SIZE)
    return results


# --- PostgreSQL --------------------------------------------------------------------------------


# Settings for the statement sent with them (`_execute`).
#
# Match through the GIN index: it answers `@@` without reading the documents' vectors. For a
# word found in most rows the planner prefers a sequential scan instead, which reads (and
# decompresses) every row's whole vector — an attachment's is TOASTed, tens of kilobytes:
# 70 ms against 4 ms for a common word in the benchmark's ten years. The planner's penalty for
# the scans it cannot avoid would make the plan look so expensive that PostgreSQL compiles it
# (JIT, 400 ms): not for these short queries. And pg_trgm's `%` keeps only words at least
# SIMILARITY alike (the typo pass), inside the index, rather than its default 0.3 and a filter
# on what it returns.
_SETTINGS = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), "
    "set_config('pg_trgm.similarity_threshold', %s, true);\n"
)


def _execute(cursor, sql, params):
    """Run `sql` with `_SETTINGS`, in one round trip: PostgreSQL runs the statements of one
    query string in order as one transaction, so the settings (local to it) hold for `sql`,
    are planned with, and end with it. (As a transaction of its own — begin, settings, the
    query, commit — a search took four round trips more, each a wait for the server; on a
    busy machine each wait may also be a wait for a CPU.) The cursor is left on `sql`'s rows.
    """
    cursor.execute(_SETTINGS + sql, [str(SIMILARITY), *params])
    cursor.nextset()


class SwedishQuery(SearchQuery):
    """`websearch_to_tsquery('swedish', …)` with every stem of four letters or more matched as a
    prefix (`'samverkansråd':*`).

    Snowball's Swedish stemmer leaves the definite neuter ending -et alone: "samverkansrådet"
    is indexed as 'samverkansrådet' while "samverkansråden" stems to 'samverkansråd'. Matching
    the query's stems as prefixes finds the one from the other, and "kommunernas" ('kommun')
    finds "kommunerna"; the rewritten query is cast to tsquery as it is, so it is not stemmed
    twice. Stems shorter than four letters ("e4") stay exact.
    """

    def __init__(self, value):
        super().__init__(value, search_type="websearch", config="swedish")

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return (
            f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery",
            [*params, "'([^']{4,})'", "'\\1':*"],
        )


def _search_postgres(results, user, documents, kind):
    tsquery = SwedishQuery(results.query)
    locator = _locator(results.query)
    start = (results.page - 1) * PAGE_SIZE
    results.counts, rows = _counts_and_page(
        documents.filter(search_vector=tsquery), tsquery, kind, start, PAGE_SIZE, locator
    )
    total = _total(results.counts, kind)
    fuzzy_rows = []
    corrected = None
    if total < FEW and '"' not in results.query:
        # Not for a phrase: whoever quotes words wants exactly those.
        corrected = _corrected_query(results.query)
    if corrected is not None:
        # What the first pass found is left out by its ids (a GIN scan for the original query,
        # hashed), not by `NOT search_vector @@ …`: that reads every candidate's whole vector.
        first = SearchDocument.objects.filter(search_vector=tsquery).values("pk")
        fuzzy = documents.filter(search_vector=corrected).exclude(pk__in=first)
        fuzzy_start = max(0, start - total)
        fuzzy_counts, fuzzy_rows = _counts_and_page(
            fuzzy, corrected, kind, fuzzy_start, PAGE_SIZE - len(rows), locator
        )
        if fuzzy_counts:
            results.fuzzy = True
            for name, n in fuzzy_counts.items():
                results.counts[name] = results.counts.get(name, 0) + n
            total += _total(fuzzy_counts, kind)
    results.total = total
    terms = _terms(results.query)[0]
    for page_rows, fuzzy in ((rows, False), (fuzzy_rows, True)):
        for row in page_rows:
            results.hits.append(
                _hit(
                    user,
                    row,
                    title=_marked(row["title_marked"]),
                    snippet=_snippet_pg(row, terms),
                    fuzzy=fuzzy,
                )
            )


def _total(counts, kind):
    return counts.get(kind, 0) if kind else sum(counts.values())


def _counts_and_page(matched, tsquery, kind, start, size, locator):
    """({kind: n} over every matched row, the rows start … start + size in rank order with
    their headlines), in one statement that reads the matches once.

    Counting and ranking as two queries matched twice: for a phrase that means reading every
    candidate's whole vector twice (the GIN index cannot check word positions, so each
    candidate is rechecked), half the time of the search. Here the matches are read once into
    a materialised CTE (id, kind, date, rank) that both the counts and the page's top-N sort
    read; the page's rows, with their headlines (`_page_rows`), come back in the same round
    trip. Only the chosen kind's rows are ranked (`ts_rank` on `rank_vector`, the row's
    short, inline vector); the rest are only counted. The statement is written out because
    the ORM has no CTE; its parts (rights, filters, `@@`, the headlines) are the ORM's,
    compiled."""
    rank = SearchRank(F("rank_vector"), tsquery, normalization=1)
    page_condition, page_params = "", []
    if kind:
        rank = Case(When(kind=kind, then=rank), default=Value(None))
        page_condition, page_params = "WHERE kind = %s", [kind]
    try:
        matches, matches_params = (
            matched.order_by()
            .annotate(rank=rank)
            .values_list("pk", "kind", "date", "rank")
            .query.sql_with_params()
        )
    except EmptyResultSet:  # the user may see nothing of any kind
        return {}, []
    page, page_rows_params = _page_rows(tsquery, locator).query.sql_with_params()
    with connection.cursor() as cursor:
        _execute(
            cursor,
            f"""
            WITH matched (pk, kind, date, rank) AS MATERIALIZED ({matches}),
            page AS MATERIALIZED (
                SELECT pk, row_number() OVER (ORDER BY rank DESC, date DESC NULLS LAST, pk)
                       AS place
                  FROM (SELECT pk, rank, date FROM matched {page_condition}
                         ORDER BY rank DESC, date DESC NULLS LAST, pk
                         LIMIT %s OFFSET %s) AS top
            )
            SELECT
                (SELECT json_object_agg(kind, n)
                   FROM (SELECT kind, count(*) AS n FROM matched GROUP BY kind) AS per_kind)
                    AS search_counts,
                page.place AS search_place,
                page_rows.*
            FROM (SELECT 1) AS one
            LEFT JOIN (page JOIN ({page}) AS page_rows ON page_rows.pk = page.pk) ON true
            ORDER BY page.place
            """,
            [*matches_params, *page_params, max(size, 0), start, *page_rows_params],
        )
        names = [column.name for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    counts = found[0]["search_counts"] or {}
    return counts, [row for row in found if row["search_place"] is not None]


# ts_headline reads the text it is given word by word: an attachment's whole text, for each
# of twenty rows, took longer than the search. It gets a window of the body around the first
# place where a word of the query begins (or the start, when none is found as typed).
WINDOW_BEFORE, WINDOW = 300, 1500


def _window(locator):
    if not locator:
        return Left("body", WINDOW)
    found = StrIndex(Lower("body"), Value(locator))
    return Substr("body", Greatest(found - WINDOW_BEFORE, Value(1)), WINDOW)


def _locator(query):
    """The first letters of the query's first word, to find where to quote the body from."""
    for term in _terms(query)[0]:
        word = term.split()[0].lower() if term.split() else ""
        if len(word) >= 4:
            return word[:5]
    return ""


def _page_rows(tsquery, locator=""):
    """The page's rows (the ids in the statement's `page` CTE, `_counts_and_page`) with their
    marked title and snippet: ts_headline only for these rows."""
    return (
        SearchDocument.objects.filter(pk__in=RawSQL("SELECT pk FROM page", ()))
        .annotate(
            title_marked=SearchHeadline(
                "title",
                tsquery,
                config="swedish",
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
            snippet=SearchHeadline(
                Case(
                    When(emphasis="", then=_window(locator)),
                    default=F("emphasis"),
                    output_field=TextField(),
                ),
                tsquery,
                config="swedish",
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        # The body's window once more for a row whose snippet comes from its position text
        # (`_snippet_pg`), not for the others: finding the window reads the whole body, an
        # attachment's tens of kilobytes from the TOAST table, the costliest part of the page.
        .annotate(
            body_window=Case(
                When(emphasis="", then=Value("")),
                default=_window(locator),
                output_field=TextField(),
            )
        )
        .values(*_PAGE_FIELDS, "title_marked", "snippet", "body_window")
    )


# The typo pass (`_corrected_query`): words of the dictionary at least this similar (pg_trgm
# similarity, also the `%` operator's threshold: `_SETTINGS`) and at most this many letters
# longer or shorter stand in for a word of the query; at most ALTERNATIVES of them per word.
SIMILARITY = 0.4
LENGTH_SLACK = 2
ALTERNATIVES = 3
_WORD = re.compile(r"^[^\W\d_]{4,40}$")


def _corrected_query(query):
    """The query with each word replaced by the dictionary's words most like it (a typo:
    "Norbotniabanan" → norrbotniabanan), as a raw tsquery; None when a word has none.

    A typo (a letter dropped, doubled, swapped or wrong) leaves a word about as long as it
    was: only words within LENGTH_SLACK letters are candidates, so the long compounds that
    share most of a word's trigrams ("regionalutvecklingsstrategin" for "regionalt") are not
    offered. Both conditions are answered by one GIN index (`search_word_length_trgm`: the
    length through btree_gin, the trigrams through pg_trgm, with `%` at SIMILARITY). Every
    word of the query is looked up in the same statement."""
    wanted = [term.lower() for term in _terms(query)[0] if _WORD.match(term)]
    if not wanted:
        return None
    lookups = [
        SearchWord.objects.annotate(
            term=Value(n),
            length=Length("word"),
            similarity=TrigramSimilarity("word", term),
        )
        .filter(
            length__range=(len(term) - LENGTH_SLACK, len(term) + LENGTH_SLACK),
            word__trigram_similar=term,
        )
        .order_by("-similarity", "word")
        .values_list("term", "word", "similarity")[:ALTERNATIVES]
        for n, term in enumerate(wanted)
    ]
    lookup = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
    sql, params = lookup.query.sql_with_params()
    with connection.cursor() as cursor:
        _execute(cursor, sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    alternatives = {}
    for row in sorted(rows, key=lambda row: (-row["similarity"], row["word"])):
        alternatives.setdefault(row["term"], []).append(row["word"])
    if len(alternatives) < len(wanted):
        return None
    groups = ["(" + " | ".join(alternatives[n]) + ")" for n in range(len(wanted))]
    return SearchQuery(" & ".join(groups), search_type="raw", config="swedish")


def _snippet_pg(row, terms):
    snippet = row["snippet"] or ""
    if START not in snippet and row["emphasis"]:
        # The words matched in the body, not in the position text shown first.
        body = row["body_window"]
        return _excerpt(body, terms) if body else _marked(snippet)
    return _marked(snippet)


def _marked(text):
    text = escape(text or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


# --- SQLite (and the helpers both use) ---------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def _terms(query):
    """(wanted, unwanted) words and phrases of a websearch-like query: `"a b" c -d`."""
    wanted, unwanted = [], []
    for negated, phrase, word in _TOKEN.findall(query):
        if phrase:
            (unwanted if negated else wanted).append(phrase.strip())
            continue
        if word.lower() == "or":
            continue
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        else:
            wanted.append(word.strip('"'))
    return [term for term in wanted if term], [term for term in unwanted if term]


def _contains(term):
    """Containment, case-insensitive for every letter: "östersund" finds "Östersund" (SQLite's
    own LIKE and LOWER fold only A–Z)."""
    folded = term.lower()
    return (
        Q(Contains(Folded("title"), folded))
        | Q(Contains(Folded("emphasis"), folded))
        | Q(Contains(Folded("body"), folded))
    )


def _search_contains(results, user, documents, kind):
    wanted, unwanted = _terms(results.query)
    if not wanted:
        return
    matched = documents
    for term in wanted:
        matched = matched.filter(_contains(term))
    for term in unwanted:
        matched = matched.exclude(_contains(term))
    results.counts = _counts(matched)
    if kind:
        matched = matched.filter(kind=kind)
    results.total = results.counts.get(kind, 0) if kind else sum(results.counts.values())
    start = (results.page - 1) * PAGE_SIZE
    title_first = Case(
        When(Contains(Folded("title"), wanted[0].lower()), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        matched.annotate(title_first=title_first)
        .order_by("title_first", F("date").desc(nulls_last=True), "pk")
        .values(*_HIT_FIELDS)[start : start + PAGE_SIZE]
    )
    for row in rows:
        text = row["emphasis"] if _found(row["emphasis"], wanted) else row["body"]
        results.hits.append(
            _hit(
                user,
                row,
                title=_mark_terms(row["title"], wanted),
                snippet=_excerpt(text, wanted),
            )
        )


def _found(text, terms):
    lowered = (text or "").lower()
    return any(term.lower() in lowered for term in terms)


def _mark_terms(text, terms):
    """`text` escaped, with every occurrence of a term (case-insensitive) in <mark>."""
    text = text or ""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escape(text))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def _pattern(terms):
    # A term of four letters or more also marks the words it begins ("Norrbotnia" in
    # "Norrbotniabanan"); a shorter one only itself.
    pieces = [re.escape(term[:6] if len(term) > 6 else term) for term in terms if term]
    if not pieces:
        return None
    return re.compile(r"\w*(?:" + "|".join(pieces) + r")\w*", re.IGNORECASE)


def _excerpt(text, terms, *, words=SNIPPET_WORDS):
    """About `words` words of `text` around the first term found, the terms marked."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match:
        start = max(0, text.rfind(" ", 0, max(0, match.start() - 80)) + 1)
    tokens = text[start:].split(" ")
    excerpt = " ".join(tokens[:words])
    prefix = "… " if start else ""
    suffix = " …" if len(tokens) > words else ""
    return mark_safe(prefix + _mark_terms(excerpt, terms) + suffix)


# --- Results -----------------------------------------------------------------------------------

_HIT_FIELDS = (
    "pk",
    "kind",
    "object_id",
    "title",
    "emphasis",
    "body",
    "url",
    "public_url",
    "context",
    "date",
    "council_id",
    "meeting_id",
    "protocol_id",
)


# On PostgreSQL the page's rows are read without their whole body (an attachment's text is
# tens of kilobytes): the snippet comes from a window of it.
_PAGE_FIELDS = tuple(name for name in _HIT_FIELDS if name != "body")


@dataclass
class _Row:
    """The columns a kind's `link` may look at."""

    kind: str
    object_id: int
    url: str
    public_url: str
    council_id: int | None
    meeting_id: int | None
    protocol_id: int | None


def _hit(user, row, *, title, snippet, fuzzy=False):
    kind = registry.get(row["kind"])
    link_row = _Row(
        kind=row["kind"],
        object_id=row["object_id"],
        url=row["url"],
        public_url=row["public_url"],
        council_id=row["council_id"],
        meeting_id=row["meeting_id"],
        protocol_id=row["protocol_id"],
    )
    return Hit(
        kind=row["kind"],
        kind_label=kind.singular,
        object_id=row["object_id"],
        title=title,
        snippet=snippet,
        url=kind.link(user, link_row),
        context=row["context"],
        date=row["date"],
        fuzzy=fuzzy,
    )


def years(user):
    """The years the user's visible documents span, newest first (for the filter)."""
    return list(
        visible_documents(user)
        .exclude(year=None)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
