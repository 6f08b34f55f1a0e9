"""Search shows exactly what the pages show (docs/roles.md; R15 for the public): rights are in
the query, so a word the user may not see is not found, not counted and not in a snippet."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.selectors import search
from tests.search.support import (
    ATTACHMENT_WORD,
    DRAFT_WORD,
    PRESENTED_WORD,
    PROPOSAL_WORD,
    PUBLIC_WORD,
    UNPRESENTED_WORD,
)

pytestmark = pytest.mark.django_db

WORDS = {
    "public": PUBLIC_WORD,
    "draft": DRAFT_WORD,
    "attachment": ATTACHMENT_WORD,
    "presented": PRESENTED_WORD,
    "unpresented": UNPRESENTED_WORD,
    "proposal": PROPOSAL_WORD,
}

# Who finds which word (the table of docs/roles.md).
FINDS = {
    # The secretariat: everything.
    "secretariat": {"public", "draft", "attachment", "presented", "unpresented", "proposal"},
    # The RUS group: every meeting and agenda (R6) and every proposal; a protocol only in the
    # public archive (it does not read drafts).
    "rus_group": {"public", "attachment", "presented", "unpresented", "proposal"},
    # Council A's member (Sundsvall): their council's draft and their organisation's proposal.
    "member_a": {"public", "draft", "proposal"},
    "chair_a": {"public", "draft"},
    # Council A's member for the region: not Sundsvall's proposal.
    "region_member_a": {"public", "draft"},
    # Council B's member: council B's agenda and attachment, A's public protocol only.
    "member_b": {"public", "attachment", "presented", "unpresented"},
    # A presenter outside council B: the item they present, nothing else of that meeting (R7).
    "presenter": {"public", "presented"},
    "outsider": {"public"},
    "anonymous": {"public"},
}


def user_for(world, role):
    return AnonymousUser() if role == "anonymous" else getattr(world, role)


@pytest.mark.parametrize("role", sorted(FINDS))
def test_each_role_finds_what_its_pages_show_and_nothing_else(world, role):
    user = user_for(world, role)
    found = {name for name, word in WORDS.items() if search(user, word).total}
    assert found == FINDS[role]


def test_a_word_only_in_a_draft_is_not_hinted_at_by_counts_or_snippets(world):
    # An OR query: the visible half is found, the draft half leaves no trace.
    results = search(world.member_b, f"{DRAFT_WORD} or {PUBLIC_WORD}")
    assert results.total == 1
    assert results.counts == {"paragraph": 1}
    page = " ".join(f"{hit.title} {hit.snippet} {hit.context}" for hit in results.hits)
    assert DRAFT_WORD not in page
    assert "Extramöte" not in page


def test_another_councils_attachment_is_not_found_by_a_typo_either(world):
    # The trigram pass (partial words, typos) has the same rights.
    typo = ATTACHMENT_WORD[:-2]
    assert search(world.secretariat, typo).total == 1
    assert search(world.member_a, typo).total == 0
    assert search(world.member_a, typo).counts == {}


def test_anonymous_finds_the_public_paragraph_and_is_sent_to_the_archive(world):
    results = search(AnonymousUser(), PUBLIC_WORD)
    assert [hit.kind for hit in results.hits] == ["paragraph"]
    assert results.hits[0].url.startswith(f"/arkiv/protokoll/{world.protocol.pk}/#")


def test_a_member_is_sent_to_their_councils_protocol_page(world):
    results = search(world.member_a, PUBLIC_WORD, kind="paragraph")
    assert results.hits[0].url.startswith(f"/moten/{world.protocol.meeting_id}/protokoll/#")


def test_the_rus_group_is_sent_to_the_archive_for_a_protocol(world):
    results = search(world.rus_group, PUBLIC_WORD, kind="paragraph")
    assert results.hits[0].url.startswith("/arkiv/protokoll/")


def test_a_protocol_of_a_council_that_stops_publishing_leaves_the_public_search(world):
    world.a.council.publishes_protocols = False
    world.a.council.save()
    assert search(AnonymousUser(), PUBLIC_WORD).total == 0
    assert search(world.member_a, PUBLIC_WORD, kind="paragraph").total == 1
