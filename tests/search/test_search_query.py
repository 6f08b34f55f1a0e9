"""The query (R15's transparency needs finding things): Swedish stemming, websearch syntax,
weights, snippets, the trigram second pass, and the containment fallback of SQLite."""

import pytest
from django.db.utils import ConnectionHandler
from django.utils.html import escape

from search import indexing, selectors
from search.models import SearchDocument, SearchWord
from search.selectors import search
from tests.factories import make_secretariat_user
from tests.meetings.factories import make_item, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def kansli(db):
    return make_secretariat_user(username="kansli")


def item(title, background="", **fields):
    created = make_item(make_meeting(), title=title, background=background, **fields)
    indexing.index("item", [created.pk])
    return created


def found(user, query, **filters):
    return [hit.object_id for hit in search(user, query, **filters).hits]


def test_samverkansraden_finds_samverkansradet(kansli):
    wanted = item("Lägesbild", "Frågan lyfts i samverkansrådet i mars.")
    assert found(kansli, "samverkansråden") == [wanted.pk]


def test_kommunernas_finds_kommunerna(kansli):
    wanted = item("Lägesbild", "Kommunerna samordnar sina insatser.")
    assert found(kansli, "kommunernas") == [wanted.pk]


def test_o_is_not_o_with_diaeresis(kansli):
    item("Lägesbild", "Arbetet med kollektivtrafiken för över länsgränsen.")
    # "över" is a word of its own in Swedish; no unaccent makes "over" find it.
    assert found(kansli, "over") == []


def test_phrase_and_exclusion(kansli):
    both = item("Regional utveckling och buss", "Regional utveckling med buss.")
    phrase = item("Regional utveckling", "Om regional utveckling i länet.")
    apart = item("Utveckling", "Utveckling av den regionala planen.")
    assert set(found(kansli, '"regional utveckling"')) == {both.pk, phrase.pk}
    assert found(kansli, '"regional utveckling" -buss') == [phrase.pk]
    assert apart.pk not in found(kansli, '"regional utveckling"')


def test_a_title_outranks_the_body(kansli):
    in_body = item("Lägesbild", "Norrbotniabanan och godstrafiken.")
    in_title = item("Norrbotniabanan", "Lägesbild för järnvägen.")
    assert found(kansli, "Norrbotniabanan") == [in_title.pk, in_body.pk]


def test_a_position_text_outranks_plain_text():
    SearchDocument.objects.create(kind="item", object_id=1, title="A", body="vätgas och mer")
    SearchDocument.objects.create(kind="item", object_id=2, title="B", emphasis="vätgas")
    SearchDocument.objects.update(
        search_vector=indexing.vector(), rank_vector=indexing.rank_vector()
    )
    user = make_secretariat_user(username="k2")
    assert found(user, "vätgas") == [2, 1]


def test_the_snippet_marks_the_matched_words_and_never_passes_markup(kansli):
    item("Lägesbild", "<script>alert(1)</script> Strukturfonderna finansierar projekten.")
    hit = search(kansli, "strukturfonder").hits[0]
    assert "<mark>Strukturfonderna</mark>" in hit.snippet
    assert "<script>" not in hit.snippet


def test_a_headline_is_escaped_before_its_marks_become_html():
    marked = selectors._marked(f"a < b {selectors.START}c{selectors.STOP} <i>")
    assert marked == f"a &lt; b <mark>c</mark> {escape('<i>')}"


def test_the_beginning_of_a_word_finds_it(kansli):
    # A stem of four letters or more matches as a prefix (selectors.SwedishQuery).
    wanted = item("Järnvägen", "Utbyggnaden av Norrbotniabanan till Umeå.")
    results = search(kansli, "Norrbotnia")
    assert [hit.object_id for hit in results.hits] == [wanted.pk]
    assert "<mark>Norrbotniabanan</mark>" in results.hits[0].snippet


def test_a_typo_is_found_by_the_trigram_pass(kansli):
    wanted = item("Järnvägen", "Utbyggnaden av Norrbotniabanan till Umeå.")
    results = search(kansli, "Norbotniabanan")
    assert results.fuzzy
    assert [hit.object_id for hit in results.hits] == [wanted.pk]
    assert "<mark>" not in results.hits[0].title


def test_the_trigram_pass_waits_until_the_first_finds_little(kansli):
    for n in range(3):
        item(f"Norrbotniabanan {n}")
    item("Järnvägen", "Norrbotniabanans sträckning.")
    results = search(kansli, "Norrbotniabanan")
    assert not results.fuzzy


def test_the_typo_pass_adds_its_rows_after_the_first_pass_and_counts_each_once(kansli):
    exact = item("Norbotniabanan", "Stavat fel i rubriken.")
    other = item("Järnvägen", "Norrbotniabanan byggs ut.")
    results = search(kansli, "Norbotniabanan")
    assert [(hit.object_id, hit.fuzzy) for hit in results.hits] == [
        (exact.pk, False),
        (other.pk, True),
    ]
    assert (results.total, results.counts) == (2, {"item": 2})


def test_the_typo_pass_offers_only_words_of_about_the_same_length(kansli):
    wanted = item("Järnvägen", "Norrbotniabanan byggs ut.")
    # As alike by trigrams as a typo (similarity 0.43), but eleven letters longer: a compound
    # that holds the word, not a spelling of it (selectors.LENGTH_SLACK).
    item("Sträckan", "Norrbotniabanansträckningen beslutas.")
    results = search(kansli, "Norbotniabanan")
    assert results.fuzzy
    assert [hit.object_id for hit in results.hits] == [wanted.pk]


def _alternatives(query):
    corrected = selectors._corrected_query(query)
    if corrected is None:
        return None
    (raw,) = [e.value for e in corrected.get_source_expressions() if hasattr(e, "value")]
    return raw


def test_the_typo_pass_takes_the_three_most_alike_words_per_word(kansli):
    SearchWord.objects.bulk_create(
        SearchWord(word=word)
        for word in ["planering", "planerna", "planerad", "planerat", "planeringen"]
    )
    # "planerng": the three most alike (similarity .64, .58, then .5 in alphabetical order);
    # "planeringen" is three letters longer. Then one group per word of the query.
    assert _alternatives("planerng") == "(planerna | planering | planerad)"
    both = _alternatives("planerng planeringen")
    assert both.startswith("(planerna | planering | planerad) & (planeringen | ")


def test_the_typo_pass_gives_up_when_a_word_has_nothing_alike(kansli):
    SearchWord.objects.create(word="planering")
    assert _alternatives("planerng") == "(planering)"
    assert _alternatives("planerng xylofonkvartett") is None
    assert _alternatives('"ab" 12345') is None  # no word of four letters or more


def test_a_search_is_one_query_however_many_rows_match(kansli, django_assert_num_queries):
    meeting = make_meeting()
    items = [make_item(meeting, title=f"Bredband {n}", background="Fiber.") for n in range(30)]
    indexing.index("item", [i.pk for i in items])
    search(kansli, "bredband")  # the user's roles, read once per request
    # The counts per kind and the page's rows with their headlines, from one scan of the
    # matches, in one statement (its planner settings sent with it).
    with django_assert_num_queries(1):
        results = search(kansli, "bredband")
    assert (results.total, len(results.hits)) == (30, 20)
    # Fewer than three: the dictionary look-up (every word in one statement), then the
    # corrected query's counts and page the same way.
    with django_assert_num_queries(3):
        results = search(kansli, "bredbnd")
    assert results.fuzzy and results.total == 30 and len(results.hits) == 20


def test_a_page_past_the_last_still_counts(kansli):
    meeting = make_meeting()
    items = [make_item(meeting, title=f"Bredband {n}") for n in range(25)]
    indexing.index("item", [i.pk for i in items])
    results = search(kansli, "bredband", page=3)
    assert (results.counts, results.total, results.hits) == ({"item": 25}, 25, [])


def test_counts_per_kind_and_filters(kansli):
    first = item("Elnätet", "Effektbrist i elnätet.")
    item("Elnätet igen", "Elnätet byggs ut.")
    results = search(kansli, "elnätet")
    assert results.counts == {"item": 2}
    assert results.total == 2
    assert found(kansli, "elnätet", council=first.meeting.council_id) == [first.pk]
    assert found(kansli, "elnätet", kind="meeting") == []
    assert search(kansli, "elnätet", kind="meeting").counts == {"item": 2}


def test_pages_of_twenty(kansli):
    meeting = make_meeting()
    items = [make_item(meeting, title=f"Bredband {n}") for n in range(25)]
    indexing.index("item", [i.pk for i in items])
    first, second = search(kansli, "bredband"), search(kansli, "bredband", page=2)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (25, 2, 20, 5)
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}


def test_an_empty_query_searches_nothing(kansli):
    item("Elnätet")
    assert search(kansli, "   ").total == 0


# --- The SQLite fallback: the same rights and page, plain containment -----------------------


@pytest.fixture
def containment(monkeypatch):
    monkeypatch.setattr(selectors, "uses_postgres", lambda: False)


def test_containment_finds_a_part_of_a_word_case_insensitively(kansli, containment):
    wanted = item("Järnvägen", "Utbyggnaden av NORRBOTNIABANAN.")
    results = search(kansli, "norrbotnia")
    assert [hit.object_id for hit in results.hits] == [wanted.pk]
    assert "<mark>NORRBOTNIABANAN</mark>" in results.hits[0].snippet


def test_containment_folds_the_swedish_letters(kansli, containment):
    wanted = item("Östersundsvägen", "ÅNGE och ÄLVDALEN i samma stråk.")
    assert found(kansli, "östersundsvägen") == [wanted.pk]
    assert found(kansli, "ånge älvdalen") == [wanted.pk]
    assert found(kansli, "ÅngE -älvdalen") == []


def test_sqlite_compares_with_a_lower_that_knows_every_letter():
    """SQLite's own LIKE folds only A–Z; each SQLite connection gets `samverkan_lower`, and
    the containment search compares through it."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    sqlite = handler["default"]
    try:
        with sqlite.cursor() as cursor:
            cursor.execute(
                "SELECT 'ÖSTERSUND' LIKE '%östersund%', "
                "samverkan_lower('ÖSTERSUND ÅNGE') LIKE '%östersund ånge%'"
            )
            assert cursor.fetchone() == (0, 1)
        query = SearchDocument.objects.filter(selectors._contains("Ånge")).query
        sql, params = query.get_compiler(connection=sqlite).as_sql()
        assert sql.count("samverkan_lower(") == 3 and "%ånge%" in params
    finally:
        handler.close_all()


def test_containment_does_not_stem(kansli, containment):
    item("Lägesbild", "Frågan lyfts i samverkansrådet.")
    assert search(kansli, "samverkansråden").total == 0


def test_containment_phrase_and_exclusion(kansli, containment):
    both = item("Regional utveckling och buss")
    phrase = item("Regional utveckling i länet")
    assert set(found(kansli, '"regional utveckling"')) == {both.pk, phrase.pk}
    assert found(kansli, '"regional utveckling" -buss') == [phrase.pk]


def test_a_word_deep_in_a_long_text_is_quoted_with_its_mark(kansli):
    filler = "Länets organisationer samverkar om regional utveckling. " * 400
    item("Lägesbild", filler + "Här nämns Sundsvallsbron en enda gång. " + filler)
    hit = search(kansli, "sundsvallsbron").hits[0]
    assert "<mark>Sundsvallsbron</mark>" in hit.snippet
    assert len(hit.snippet) < 600
