"""The OParl 1.1 interface (R15): the public record as linked JSON, nothing else.

Every object reached from `System` is checked against the fields the standard's JSON schema
(OParl/spec, `schema/*.json`) requires and the JSON types it names for every property we output;
lists paginate and filter as the standard says; a correction turns replaced § into deleted stubs;
drafts, proposals, review answers, questions, e-mail addresses and phone numbers never appear;
an unpublished council's meetings are not listed.
"""

import datetime
import json
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from councils.models import Person
from meetings.models import AgendaItem, Attachment, ItemQuestion, ItemReview, Meeting
from protocols import services
from tests.factories import make_council
from tests.meetings.factories import make_item
from tests.meetings.review_support import make_proposal
from tests.protocols.archive_support import (
    POSITION_TEXT,
    adjust,
    adjust_correction,
    minuted_protocol,
)
from tests.protocols.support import setting, started_meeting

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
SCHEMA = "https://schema.oparl.org/1.1/"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = "070-123 45 67"
QUESTION = "Vilken budget har länsstyrelsen avsatt för detta?"
REVIEW_COMMENT = "Vi i kommunen tvekar om formuleringen i stycke två."
PROPOSAL_TITLE = "Förslag om gemensam laddinfrastruktur"
DRAFT_TITLE = "Hemlig punkt i utkast"
ATTACHMENT_TITLE = "Underlag från länsstyrelsen (ej publicerat)"
OTHER_COUNCIL_TITLE = "Möte i ett råd som inte publicerar"

URL, STR, BOOL, INT, LIST, OBJ = "url", str, bool, int, list, dict
DATETIME = "date-time"
DATE = "date"

# The properties of each type as the OParl 1.1 schema names them, with the JSON type of each
# (url and date-time are strings of that format). `required` is the schema's `required`.
# Arrays of plain strings; every other array holds URLs or embedded objects.
STRING_LISTS = {("Person", "status")}
COMMON = {"id": URL, "type": STR, "created": DATETIME, "modified": DATETIME, "deleted": BOOL}
TYPES = {
    "System": {
        "required": ["id", "type", "oparlVersion", "body"],
        "properties": {
            "oparlVersion": STR,
            "body": URL,
            "name": STR,
            "contactName": STR,
            "website": URL,
            "product": URL,
            "web": URL,
        },
    },
    "Body": {
        "required": [
            "id",
            "type",
            "name",
            "organization",
            "person",
            "meeting",
            "paper",
            "legislativeTerm",
        ],
        "properties": {
            "system": URL,
            "shortName": STR,
            "name": STR,
            "website": URL,
            "classification": STR,
            "contactName": STR,
            "organization": URL,
            "person": URL,
            "meeting": URL,
            "paper": URL,
            "agendaItem": URL,
            "consultation": URL,
            "file": URL,
            "membership": URL,
            "locationList": URL,
            "legislativeTermList": URL,
            "legislativeTerm": LIST,
            "web": URL,
        },
    },
    "Organization": {
        "required": ["id", "type"],
        "properties": {
            "body": URL,
            "name": STR,
            "shortName": STR,
            "membership": LIST,
            "organizationType": STR,
            "classification": STR,
            "website": URL,
            "web": URL,
        },
    },
    "Person": {
        "required": ["id", "type"],
        "properties": {
            "body": URL,
            "name": STR,
            "familyName": STR,
            "givenName": STR,
            "status": LIST,
            "membership": LIST,
        },
    },
    "Membership": {
        "required": ["id", "type"],
        "properties": {
            "person": URL,
            "organization": URL,
            "role": STR,
            "votingRight": BOOL,
            "onBehalfOf": URL,
            "startDate": DATE,
            "endDate": DATE,
        },
    },
    "LegislativeTerm": {
        "required": ["id", "type"],
        "properties": {"body": URL, "name": STR, "startDate": DATE, "endDate": DATE},
    },
    "Meeting": {
        "required": ["id", "type"],
        "properties": {
            "name": STR,
            "meetingState": STR,
            "cancelled": BOOL,
            "start": DATETIME,
            "end": DATETIME,
            "location": OBJ,
            "organization": LIST,
            "participant": LIST,
            "resultsProtocol": OBJ,
            "auxiliaryFile": LIST,
            "agendaItem": LIST,
            "web": URL,
        },
    },
    "AgendaItem": {
        "required": ["id", "type"],
        "properties": {
            "meeting": URL,
            "number": STR,
            "order": INT,
            "name": STR,
            "public": BOOL,
            "consultation": URL,
            "result": STR,
            "resolutionText": STR,
            "web": URL,
        },
    },
    "Paper": {
        "required": ["id", "type"],
        "properties": {
            "body": URL,
            "name": STR,
            "reference": STR,
            "date": DATE,
            "paperType": STR,
            "underDirectionOf": LIST,
            "consultation": LIST,
            "web": URL,
        },
    },
    "Consultation": {
        "required": ["id", "type"],
        "properties": {
            "paper": URL,
            "agendaItem": URL,
            "meeting": URL,
            "organization": LIST,
            "authoritative": BOOL,
            "role": STR,
        },
    },
    "File": {
        "required": ["id", "type", "accessUrl"],
        "properties": {
            "name": STR,
            "fileName": STR,
            "mimeType": STR,
            "date": DATETIME,
            "size": INT,
            "sha1Checksum": STR,
            "sha512Checksum": STR,
            "accessUrl": URL,
            "downloadUrl": URL,
            "meeting": LIST,
            "web": URL,
        },
    },
    "Location": {
        "required": ["id", "type"],
        "properties": {"description": STR, "meeting": LIST},
    },
}


def check_value(kind, name, value):
    if kind == URL:
        assert isinstance(value, str) and value.startswith(("http://", "https://")), name
    elif kind == DATETIME:
        assert isinstance(value, str), name
        parsed = datetime.datetime.fromisoformat(value)
        assert parsed.tzinfo is not None, f"{name}: {value} has no offset"
    elif kind == DATE:
        datetime.date.fromisoformat(value)
    elif kind is INT:
        assert isinstance(value, int) and not isinstance(value, bool), name
    else:
        assert isinstance(value, kind), f"{name}: {value!r} is not {kind}"


def check_object(data):
    """The object against its type's schema: required fields, known properties, JSON types.
    Embedded objects are checked too. Returns the type's name."""
    assert data["type"].startswith(SCHEMA), data["type"]
    name = data["type"].removeprefix(SCHEMA)
    assert name in TYPES, name
    schema = TYPES[name]
    if data.get("deleted"):
        assert set(data) <= set(COMMON), data  # a stub: id, type, times, deleted
        return name
    for field in schema["required"]:
        assert field in data, f"{name} lacks {field}"
    known = COMMON | schema["properties"]
    for field, value in data.items():
        assert field in known, f"{name}.{field} is not in the schema"
        check_value(known[field], f"{name}.{field}", value)
        if isinstance(value, dict):
            check_object(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    check_object(item)
                elif (name, field) in STRING_LISTS:
                    check_value(STR, f"{name}.{field}[]", item)
                else:
                    check_value(URL, f"{name}.{field}[]", item)
    return name


def urls_in(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from urls_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from urls_in(value)
    elif isinstance(data, str) and data.startswith(f"{BASE}/oparl/v1.1/"):
        yield data


def crawl(client, *, limit=2000):
    """Every response reachable from System (bounded): {url: parsed JSON}."""
    seen, todo = {}, [f"{BASE}{reverse('oparl:system')}"]
    while todo and len(seen) < limit:
        url = todo.pop()
        if url in seen or url.endswith("/download/"):
            continue
        response = client.get(url.removeprefix(BASE))
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"] == "application/json; charset=utf-8"
        seen[url] = response.json()
        todo.extend(u for u in urls_in(seen[url]) if u not in seen)
    assert not todo, "the crawl did not finish within its bound"
    return seen


def objects_in(responses):
    """Every object of the responses, embedded ones included."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("type"), str) and value["type"].startswith(SCHEMA):
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for data in responses.values():
        walk(data)
    return found


@pytest.fixture
def published():
    """A council that publishes, with an adjusted protocol (a consensus position, its PDF/A),
    and around it what must never be published: a draft of a later meeting, a review answer
    and a question to the council, a proposal, everyone's phone number, and a council that
    does not publish with an adjusted protocol of its own."""
    world = setting()
    world.council.publishes_protocols = True
    world.council.save()
    world.meeting.place = "Landstingshuset, Härnösand"
    world.meeting.save()
    AgendaItem.objects.filter(pk=world.position.pk).update(questions=QUESTION)
    ItemReview.objects.create(
        item=world.position,
        organisation=world.sundsvall,
        anchored="anchored",
        expects_dissent=True,
        comment=REVIEW_COMMENT,
        recorded_by=world.member.person,
    )
    ItemQuestion.objects.create(
        item=world.position,
        organisation=world.sundsvall,
        asked_by=world.member.person,
        question=QUESTION,
    )
    make_proposal(world.member.person.user, title=PROPOSAL_TITLE)
    Attachment.objects.create(item=world.position, title=ATTACHMENT_TITLE)
    protocol = adjust(world, minuted_protocol(world))
    Person.objects.update(phone=PHONE)
    later = started_meeting(world.council, title="Senare möte")
    make_item(later, title=DRAFT_TITLE, kind=AgendaItem.Kind.INFORMATION)
    services.open_protocol(meeting=later, user=world.secretariat)

    closed = make_council(name="Ett slutet råd", slug="slutet")
    other = started_meeting(closed, title=OTHER_COUNCIL_TITLE)
    make_item(other, title="Punkt i slutet råd", kind=AgendaItem.Kind.INFORMATION)
    with TestCase.captureOnCommitCallbacks(execute=True):
        other_protocol = services.open_protocol(meeting=other, user=world.secretariat)
    world.protocol, world.other_meeting = protocol, other
    world.other_protocol = other_protocol
    return world


def get(client, name, *args, **params):
    response = client.get(reverse(f"oparl:{name}", args=args), params)
    return response


def test_the_entry_point_is_a_system_object_for_anyone(client, published):
    response = get(client, "system")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["id"] == f"{BASE}/oparl/v1.1/"
    assert data["type"] == "https://schema.oparl.org/1.1/System"
    assert data["oparlVersion"] == "https://schema.oparl.org/1.1/"
    check_object(data)
    bodies = client.get(data["body"].removeprefix(BASE)).json()
    assert [b["id"] for b in bodies["data"]] == [f"{BASE}/oparl/v1.1/body/rvn/"]


def test_every_object_reached_from_system_fits_its_schema_and_resolves(client, published):
    responses = crawl(client)
    kinds = {check_object(data) for data in objects_in(responses)}
    assert kinds == set(TYPES)
    for url, data in responses.items():
        if "data" in data:  # a list
            assert set(data) == {"data", "pagination", "links"}
            assert {"first", "last"} <= set(data["links"])
        elif "/body/" not in url or url.endswith("/rvn/"):
            assert data["id"] == url, "an object's id is its own URL"


def test_the_published_meeting_its_position_and_its_pdf(client, published):
    meeting = get(client, "object", "meeting", published.meeting.pk).json()
    assert meeting["name"] == "Månadsmöte"
    assert meeting["location"]["description"] == "Landstingshuset, Härnösand"
    assert meeting["organization"] == [
        f"{BASE}/oparl/v1.1/organization/council-{published.council.pk}/"
    ]
    position = next(i for i in meeting["agendaItem"] if i.get("resolutionText") == POSITION_TEXT)
    assert position["result"] == "Ställningstagande i konsensus"
    assert position["public"] is True
    consultation = client.get(position["consultation"].removeprefix(BASE)).json()
    paper = client.get(consultation["paper"].removeprefix(BASE)).json()
    assert paper["paperType"] == "Ställningstagande"
    assert consultation["authoritative"] is False  # the councils advise (R10)
    pdf = meeting["resultsProtocol"]
    file_data = client.get(pdf["id"].removeprefix(BASE)).json()
    download = client.get(file_data["downloadUrl"].removeprefix(BASE))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    assert file_data["size"] == len(content)
    import hashlib

    assert file_data["sha1Checksum"] == hashlib.sha1(content).hexdigest()
    assert file_data["sha512Checksum"] == hashlib.sha512(content).hexdigest()
    assert "attachment" in download["Content-Disposition"]
    assert client.get(file_data["accessUrl"].removeprefix(BASE)).status_code == 200


def test_membership_voting_right_follows_the_role(client, published):
    persons = get(client, "list", "rvn", "person").json()["data"]
    seats = {
        (p["name"], m["role"]): m["votingRight"] for p in persons for m in p.get("membership", [])
    }
    assert True in seats.values()
    substitute = published.substitute.person
    name = f"{substitute.given_name} {substitute.family_name}"
    if any(n == name for n, _ in seats):  # present only when the substitute attended
        assert seats[(name, "Ersättare")] is False
    chair = published.chair.person
    assert seats[(f"{chair.given_name} {chair.family_name}", "Ordförande")] is True
    for person in persons:
        for seat in person.get("membership", []):
            assert seat["onBehalfOf"].startswith(f"{BASE}/oparl/v1.1/organization/organisation-")


def test_nothing_private_appears_in_any_response(client, published):
    responses = crawl(client)
    text = json.dumps(responses, ensure_ascii=False)
    for secret in (
        DRAFT_TITLE,
        "Senare möte",
        QUESTION,
        REVIEW_COMMENT,
        PROPOSAL_TITLE,
        ATTACHMENT_TITLE,
        "Bakgrund.",
        OTHER_COUNCIL_TITLE,
        "Ett slutet råd",
        PHONE,
    ):
        assert secret not in text, secret
    assert not EMAIL.search(text), EMAIL.search(text)
    for person in Person.objects.exclude(email=""):
        assert person.email not in text
    # Asked for by URL, an unpublished council's meeting or a draft's § is not there either.
    assert get(client, "object", "meeting", published.other_meeting.pk).status_code == 404
    draft_entry = published.other_protocol.entries.first()
    assert get(client, "object", "agenda-item", draft_entry.pk).status_code == 404
    assert (
        get(
            client, "object", "organization", f"council-{published.other_meeting.council_id}"
        ).status_code
        == 404
    )


def test_lists_paginate_to_their_end_and_filter_by_time(client, published):
    first = get(client, "list", "rvn", "agenda-item", limit=2).json()
    total = first["pagination"]["totalElements"]
    assert total == published.protocol.entries.count()
    assert first["pagination"]["elementsPerPage"] == 2
    collected, page = [], first
    while True:
        collected += [item["id"] for item in page["data"]]
        if "next" not in page["links"]:
            break
        page = client.get(page["links"]["next"].removeprefix(BASE)).json()
    assert len(collected) == len(set(collected)) == total
    assert page["links"]["last"] == first["links"]["last"]

    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    past = "2001-01-01T00:00:00+01:00"
    assert get(client, "list", "rvn", "agenda-item", created_since=future).json()["data"] == []
    assert get(client, "list", "rvn", "meeting", modified_until=past).json()["data"] == []
    assert len(get(client, "list", "rvn", "meeting", modified_since=past).json()["data"]) == 1
    for bad in ({"limit": "0"}, {"limit": "x"}, {"modified_since": "igår"}):
        response = get(client, "list", "rvn", "paper", **bad)
        assert response.status_code == 400
        assert response.json()["type"] == "Error"


def test_a_correction_replaces_its_paragraphs_which_stay_as_deleted_stubs(client, published):
    world, protocol = published, published.protocol
    old_position = protocol.entries.get(outcome="consensus")
    correction = services.start_correction(
        protocol=protocol, user=world.secretariat, reason="Fel i § 3."
    )
    adjust_correction(world, correction, outcome_text="Rättad text.")
    stub = get(client, "object", "agenda-item", old_position.pk).json()
    assert stub["deleted"] is True
    assert set(stub) == {"id", "type", "created", "modified", "deleted"}
    assert get(client, "object", "paper", old_position.pk).json()["deleted"] is True

    meeting = get(client, "object", "meeting", world.meeting.pk).json()
    texts = [i.get("resolutionText") for i in meeting["agendaItem"]]
    assert "Rättad text." in texts and POSITION_TEXT not in texts
    assert len(meeting["auxiliaryFile"]) == 1  # the original's PDF stays, linked

    ids = {p["id"] for p in get(client, "list", "rvn", "paper").json()["data"]}
    assert f"{BASE}/oparl/v1.1/paper/{old_position.pk}/" not in ids
    since = (protocol.adjusted_at - datetime.timedelta(minutes=1)).isoformat()
    synced = get(client, "list", "rvn", "paper", modified_since=since).json()["data"]
    stubs = [p for p in synced if p["deleted"]]
    assert [p["id"] for p in stubs] == [f"{BASE}/oparl/v1.1/paper/{old_position.pk}/"]


def test_validators_answer_304_and_change_with_the_record(client, published):
    url = reverse("oparl:list", args=["rvn", "meeting"])
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=300" in first["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405  # read-only
    Person.objects.filter(pk=published.member.person.pk).first().save()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("kind", ["agenda-item", "meeting", "person", "paper", "file"])
def test_a_page_costs_the_same_queries_whatever_its_number(
    client, published, kind, django_assert_num_queries
):
    first = get(client, "list", "rvn", kind, limit=1).json()
    assert first["pagination"]["totalPages"] >= 1
    last_page = first["pagination"]["totalPages"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        get(client, "list", "rvn", kind, limit=1, page=1)
    with CaptureQueriesContext(connection) as other:
        get(client, "list", "rvn", kind, limit=1, page=last_page)
    assert len(one) == len(other)


def test_the_about_page_explains_it_in_both_languages_and_the_archive_links_it(client, published):
    about = reverse("oparl:about")
    page = client.get(about).text
    assert "OParl 1.1" in page and f"{BASE}/oparl/v1.1/" in page
    assert f'href="{about}"' in client.get(reverse("archive:index")).text
    client.cookies["django_language"] = "en"
    english = client.get(about, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Open data" in english


def test_a_council_that_publishes_its_schedule_lists_announced_meetings_time_and_place(
    client, published
):
    council = published.council
    council.publishes_meeting_schedule = True
    council.save()
    soon = timezone.now() + datetime.timedelta(days=20)
    invited = started_meeting(council, starts_at=soon, title="Kommande möte", place="Sundsvall")
    make_item(invited, title="Punkt som inte är offentlig", kind=AgendaItem.Kind.INFORMATION)
    planned = started_meeting(
        council, starts_at=soon, title="Planerat möte", status=Meeting.Status.PLANNED
    )
    meetings = {m["name"]: m for m in get(client, "list", "rvn", "meeting").json()["data"]}
    assert "Planerat möte" not in meetings  # not announced: no invitations yet
    announced = meetings["Kommande möte"]
    check_object(announced)
    assert announced["meetingState"] == "kallelse skickad"
    assert announced["cancelled"] is False
    assert announced["location"]["description"] == "Sundsvall"
    assert "agendaItem" not in announced and "resultsProtocol" not in announced
    assert "Punkt som inte är offentlig" not in json.dumps(crawl(client), ensure_ascii=False)
    assert get(client, "object", "meeting", planned.pk).status_code == 404

    council.publishes_meeting_schedule = False
    council.save()
    assert get(client, "object", "meeting", invited.pk).status_code == 404
