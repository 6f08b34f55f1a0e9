"""English is complete and stays complete; Swedish stays the default and the language of mail.

- The catalogue (locale/en/LC_MESSAGES/django.po) translates every msgid, none of them fuzzy,
  with the same placeholders, and the committed .mo holds exactly the .po's translations.
- `makemessages` finds no msgid the catalogue lacks, and the catalogue keeps none the code has
  dropped: a new untranslated string anywhere in the project fails here.
- The main pages, switched to English with the language switcher, show no Swedish outside the
  data (names, titles, the strategy's texts).
- Mail is Swedish whatever language the person whose action sends it has chosen.
"""

import re
import shutil
from html import unescape
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from councils.models import Council, Organisation, Person
from meetings.models import AgendaItem, ItemProposal, Meeting
from rus.emails import build_message
from rus.models import StrategicPlan
from rus.tasks import queue_mail
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What `make messages` leaves out of the scan (besides the locale folder itself).
NOT_SCANNED = {".venv", "node_modules", "var", "tests", ".git", "locale", "__pycache__"}
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(catalogue):
    return {
        _key(entry): (dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr)
        for entry in catalogue
        if entry.msgid and not entry.obsolete
    }


# --- The catalogue -----------------------------------------------------------------------------


def test_every_msgid_has_an_english_translation_and_none_is_fuzzy():
    po = polib.pofile(str(PO))

    assert len(po) > 500
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []


def test_translations_keep_the_placeholders_of_their_msgid():
    mismatched = []
    for entry in polib.pofile(str(PO)):
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        for msgid, msgstr in pairs:
            if sorted(set(PLACEHOLDER.findall(msgid))) != sorted(set(PLACEHOLDER.findall(msgstr))):
                mismatched.append((msgid, msgstr))

    assert mismatched == []


def test_compiled_catalogue_holds_exactly_the_po_translations():
    """`make messages` compiles the .mo; one committed without recompiling differs from the .po."""
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))

    assert _translations(mo) == _translations(po)


def test_makemessages_finds_no_msgid_the_catalogue_lacks(tmp_path, settings, monkeypatch):
    """Runs `makemessages` on a copy of the project, so that the committed catalogue stays
    untouched, and compares the msgids it finds with the committed ones."""
    for path in ROOT.iterdir():
        if path.name in NOT_SCANNED or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(path, tmp_path / path.name, ignore=shutil.ignore_patterns(*NOT_SCANNED))
        else:
            shutil.copy2(path, tmp_path / path.name)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy2(PO, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    committed = set(_translations(polib.pofile(str(PO))))
    found = set(_translations(polib.pofile(str(copy))))
    assert sorted(found - committed) == [], "new msgids: run `make messages` and translate them"
    assert sorted(committed - found) == [], "msgids no longer in the code: run `make messages`"


# --- The pages, in English ---------------------------------------------------------------------

# Proper names kept in English too, the language switcher's own bilingual label and the names of
# the files attached to invitations.
KEPT_AS_THEY_ARE = (
    "Regionala samverkansrådet",
    "Stora samverkansrådet",
    "Region Västernorrland",
    "Västernorrland",
    "Samverkan",
    "Språk / Language",
    "dagordning.pdf",
    "kallelse.ics",
)
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(?:och|att|inte|med|av|till|som|har|på|från|eller|den|det|ett|en|för|ska|kan|"
    r"inga|ingen|alla|ny|nytt|visa|sök|spara|avbryt|ändra|punkt|punkter|möte|möten|"
    r"sammanträde|sammanträden|dagordning|dagordningen|kallelse|kallelsen|ledamot|ledamöter|"
    r"ärende|förslag|bakgrund|välj|ja|nej|typ|namn|tid|plats|svar|sida|roll|saknas|historik|"
    r"uppdrag|ersättare|ordförande|beredd|godkänd|inställt|utkast|fastställd|kommande|tidigare|"
    r"kl|januari|februari|maj|juni|juli|augusti|oktober|tisdag|onsdag|torsdag|fredag)\b",
    re.IGNORECASE,
)
# The check covers the text that templates and models produce. Forms, views and services write
# the texts below in Swedish still (a form's labels and help texts, a view's button labels and
# filters, a service's problem descriptions); each pattern must match a whole piece of page text.
FROM_PYTHON = (
    # councils/forms.py: the membership form on a council's page
    r"Organisationen personen företräder i rådet\.",
    r"Lämna tomt för ett pågående uppdrag\.",
    r"Bara för ersättare: den ledamot personen ersätter\.",
    # councils/views/councils.py (the groups below the organisations), councils/composition.py
    r"Funktioner med yttranderätt",
    r".+ saknar ledamot för (majoriteten|oppositionen)",
    # meetings/forms: the attachment upload on an item's page, the reply to an invitation
    r"Tillåtna filtyper: .*",
    r"ODT, ODS, ODP, PNG, JPEG\. Högst 25 MB per fil\.",
    r"Lämna tomt för att använda filnamnet\.",
    r"Ditt svar",
    r"Välj ersättare",
    r"Eller namnge den som deltar i stället",
    r"Namn på den som deltar i stället",
    # meetings/views: the status buttons of a meeting, the filters of the invitation progress
    r"Ställ in mötet",
    r"Väntar|Har inte svarat|Deltar inte|Ersättare deltar",
    # meetings/services: why an agenda cannot be approved, what changed since the invitation
    r": (Koppling till RUS saknas|Bakgrund saknas)( och bakgrund saknas)?\.",
    r"Ny tid: .*",
    # rus/forms, rus/services: the plan comparison's fields and the names of compared fields
    r"Från version|Till version",
    r"Kapacitet som behövs",
)


def _data_strings():
    """Every text value in the database: names, titles, descriptions, the strategy's texts."""
    values = set()
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                values.update(line.strip() for line in (value or "").splitlines() if line.strip())
    return sorted(values, key=len, reverse=True)


def _visible_texts(html):
    """The page's text pieces (between tags) and its labelling attributes."""
    html = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>", " ", html, flags=re.S)
    attributes = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    html = re.sub(r"<[^>]*>", "\n", html)
    return [unescape(text).strip() for text in [*html.split("\n"), *attributes] if text.strip()]


def _swedish_ui_texts(html, data):
    found = []
    for text in _visible_texts(html):
        if not SWEDISH.search(text):
            continue
        rest = text
        shortened = text.rstrip("…").strip()  # a description cut by |truncatewords
        if any(shortened in value for value in data if len(value) >= len(shortened)):
            continue
        for value in data:
            if len(value) >= 3 and value in rest:
                rest = rest.replace(value, " ")
        for name in KEPT_AS_THEY_ARE:
            rest = rest.replace(name, " ")
        if SWEDISH.search(rest) and not any(re.fullmatch(p, text) for p in FROM_PYTHON):
            found.append(text)
    return found


def _main_pages(username):
    meetings = list(Meeting.objects.order_by("starts_at"))
    pages = [
        reverse("home"),
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_list") + "?nar=tidigare",
        reverse("meetings:my_meetings"),
        reverse("meetings:proposal_list"),
        reverse("meetings:calendar_settings"),
        reverse("councils:council_list"),
        reverse("councils:organisation_list"),
        reverse("councils:person_list"),
        reverse("rus:strategy"),
        reverse("rus:plan_list"),
        reverse("rus:plan_compare"),
    ]
    pages += [reverse("meetings:meeting_detail", args=[m.pk]) for m in meetings]
    pages += [reverse("meetings:agenda_preview", args=[m.pk]) for m in meetings]
    pages += [
        reverse("meetings:item_detail", args=[item.meeting_id, item.pk])
        for item in AgendaItem.objects.filter(is_standing=False)
    ]
    pages += [c.get_absolute_url() for c in Council.objects.all()]
    pages += [o.get_absolute_url() for o in Organisation.objects.order_by("pk")[:3]]
    pages += [p.get_absolute_url() for p in Person.objects.order_by("pk")[:3]]
    pages += [p.get_absolute_url() for p in StrategicPlan.objects.all()]
    if username == "kansli":
        pages += [reverse("meetings:proposal_queue")]
        pages += [
            reverse("meetings:proposal_detail", args=[p.pk]) for p in ItemProposal.objects.all()
        ]
        for meeting in meetings:
            pages += [
                reverse("meetings:review_matrix", args=[meeting.pk]),
                reverse("meetings:review_questions", args=[meeting.pk]),
                reverse("meetings:invitation_progress", args=[meeting.pk]),
            ]
    return pages


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kansli", "ledamot"])
def test_main_pages_in_english_show_no_swedish_interface_text(demo, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    start = client.get("/").text
    switcher = re.search(r'<form action="([^"]+)" method="post" class="language-switcher">', start)
    client.post(switcher.group(1), {"language": "en", "next": "/"})
    data = _data_strings()

    swedish = {}
    for url in _main_pages(username):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.text, url
        if texts := _swedish_ui_texts(response.text, data):
            swedish[url] = texts

    assert swedish == {}


def test_swedish_stays_the_default_whatever_the_browser_asks_for(client):
    page = client.get("/konto/logga-in/", headers={"accept-language": "en-GB,en;q=0.9"}).text

    assert '<html lang="sv">' in page
    assert "<h1>Logga in</h1>" in page


# --- Mail is Swedish -------------------------------------------------------------------------


def test_build_message_renders_swedish_under_an_english_interface():
    with translation.override("en"):
        message = build_message(
            template="password_reset",
            to=["a@example.org"],
            context={"reset_url": "https://x.example.org/r/", "username": "anna"},
        )

    assert message.subject == "Återställ ditt lösenord i Samverkan"
    assert "Välj ett nytt lösenord här:" in message.body
    assert '<html lang="sv">' in message.alternatives[0][0]


@pytest.mark.django_db
def test_queue_mail_resolves_translatable_values_in_swedish(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """A choice's label in a mail's context goes to the task as Swedish text (the task's
    arguments are JSON), even when the action that sends the mail was taken in English."""
    from rus.tasks import send_mail_task

    enqueued = []
    delay = send_mail_task.delay
    monkeypatch.setattr(
        send_mail_task, "delay", lambda **kwargs: enqueued.append(kwargs) or delay(**kwargs)
    )

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        queue_mail(
            template="proposal_submitted",
            to=["rus@example.org"],
            context={
                "proposer_name": "Anna",
                "organisation": "Timrå kommun",
                "title": "Kompetensförsörjning",
                "kind_label": ItemProposal.Kind.POSITION.label,
                "meeting": "",
                "path": "/forslag/beredning/",
            },
        )

    [task] = enqueued
    assert type(task["context"]["kind_label"]) is str
    assert task["context"]["kind_label"] == "Ställningstagande"
    [message] = mailoutbox
    assert message.subject == "Nytt ärendeförslag att bereda: Kompetensförsörjning"
    assert "Kompetensförsörjning (Ställningstagande)" in message.body


@pytest.mark.django_db
def test_password_reset_asked_for_in_english_sends_a_swedish_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("anna")  # anna@example.org
    client.post("/i18n/setlang/", {"language": "en"})

    # The mail task runs with English active, as it does when Celery is eager (the demo): on
    # commit, still inside the request.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        page = client.post("/konto/aterstall-losenord/", {"email": "anna@example.org"}, follow=True)

    assert "<h1>Check your email</h1>" in page.text
    [message] = mailoutbox
    assert message.subject == "Återställ ditt lösenord i Samverkan"
    assert "Någon (förhoppningsvis du) har bett om" in message.body
