"""English is complete and stays complete; Swedish stays the default and the language of mail.

- The catalogue (locale/en/LC_MESSAGES/django.po) translates every msgid, none of them fuzzy,
  with the same placeholders, and the committed .mo holds exactly the .po's translations.
- `makemessages` finds no msgid the catalogue lacks, and the catalogue keeps none the code has
  dropped: a new untranslated string anywhere in the project fails here.
- Every page the crawl reaches on the demo data, for every demo role and anonymous, shows no
  Swedish in English outside the data (names, titles, the strategy's texts): templates, choices,
  forms, views' messages and services' texts are all translated.
- Mail is Swedish whatever language the person whose action sends it has chosen; with English
  as the mail language, the mails and the agenda PDF are English.
"""

import datetime
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from councils.imports import ROLE_HELP
from meetings.models import AgendaItem, ItemProposal, Meeting
from meetings.services import proposals as proposal_services
from meetings.services.invitations import reminders, sending
from rus.emails import build_message
from rus.management.commands.seed_demo import DEMO_USERS
from rus.tasks import queue_mail
from tests.factories import (
    make_council,
    make_member_user,
    make_rus_group_user,
    make_secretariat_user,
    make_user,
)
from tests.meetings.factories import make_item, make_meeting
from tests.meetings.invitation_support import (
    clear_pdf_cache,
    make_invitation_setup,
    parse,
    pdf_parts,
)
from tests.meetings.review_support import make_proposal
from tests.support.crawl import crawl

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


# --- Every page, in English, for every role ----------------------------------------------------

# Proper names kept in English too, the language switcher's own bilingual label, the names of
# the files attached to invitations, and the Swedish words a member import file is written in.
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
    r"kl|januari|februari|maj|juni|juli|augusti|oktober|tisdag|onsdag|torsdag|fredag|"
    r"väntar|deltar|rubrik|slutar|börjar|upprepa|kansli|adjungerade|kapacitet|bilaga|bilagor|"
    r"förhandsbesked|fil|filen|sakfråga|motivering)\b",
    re.IGNORECASE,
)
ROLES = ["anonymous", *(username for username, _ in DEMO_USERS)]


def _kept_as_they_are():
    """The import page describes the file's Swedish role words in the English sentence too."""
    with translation.override("en"):
        return (*KEPT_AS_THEY_ARE, str(ROLE_HELP))


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
    """The page's text pieces (between tags) and its labelling attributes; not what an element
    marks as written in another language (a mail's preview, in the mail language)."""
    html = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<(\w+)\b[^>]*\slang="(?!en")[^"]*"[^>]*>.*?</\1>', " ", html, flags=re.S)
    attributes = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    html = re.sub(r"<[^>]*>", "\n", html)
    return [unescape(text).strip() for text in [*html.split("\n"), *attributes] if text.strip()]


def _known_texts(data, kept=KEPT_AS_THEY_ARE):
    """The data and the names kept as they are, longest first: a strategy's title goes before
    the county's name inside it."""
    return sorted({value for value in [*data, *kept] if len(value) >= 3}, key=len, reverse=True)


def _swedish_ui_texts(html, known):
    return _swedish_among(_visible_texts(html), known)


def _swedish_among(texts, known):
    """The texts that are still Swedish once the data, the names kept as they are and the
    addresses are taken out."""
    found = []
    for text in texts:
        if not SWEDISH.search(text):
            continue
        shortened = text.rstrip("…").strip()  # a description cut by |truncatewords
        if any(shortened in value for value in known if len(value) >= len(shortened)):
            continue
        rest = re.sub(r"https?://\S+", " ", text)
        # A value the admin's history shortens ("Hållba[38 chars]ktur"): the word cut is data.
        rest = re.sub(r"\S*\[\d+ chars\]\S*", " ", rest)
        for value in known:
            if value in rest:
                rest = rest.replace(value, " ")
        if SWEDISH.search(rest):
            found.append(text)
    return found


@dataclass
class EnglishCrawl:
    crawl: object
    not_english: list  # pages without <html lang="en">
    swedish: dict  # url -> Swedish interface texts


@pytest.fixture(scope="module")
def english_crawls(_demo_database, django_db_blocker):
    """Every page the crawl reaches on the shared demo data (`demo`, tests/conftest.py), per
    role, with English chosen: what each page shows in Swedish. The crawl of
    tests/project/test_crawl.py, once more, in English."""
    from rus.celery import app

    files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    result = {}
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=_demo_database.open(),
                STORAGES={**settings.STORAGES, "default": files},
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                AXES_ENABLED=False,
            ),
            transaction.atomic(),
        ):
            users = {user.username: user for user in get_user_model().objects.all()}
            known = _known_texts(_data_strings(), _kept_as_they_are())
            files_fetched = set()
            for role in ROLES:
                english = EnglishCrawl(crawl=None, not_english=[], swedish={})

                def read(url, html, english=english):
                    # A fragment htmx swaps in (a document's status line) has no <html> of its
                    # own to carry the language; its texts are checked below like any page's.
                    is_page = re.search(r"<html[\s>]", html)
                    if is_page and not re.search(r'<html lang="en"[\s>]', html):
                        english.not_english.append(url)
                    if texts := _swedish_ui_texts(html, known):
                        english.swedish[url] = texts

                english.crawl = crawl(
                    users.get(role), files_fetched=files_fetched, language="en", read=read
                )
                result[role] = english
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = eager
    return result


@pytest.mark.django_db  # the test database is set up before the crawls
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_english_shows_no_swedish_interface_text(english_crawls, role):
    """Templates, models' choices, forms, views' messages and services' texts alike: only the
    data (names, titles, the strategy's texts) stays Swedish."""
    english = english_crawls[role]

    assert english.not_english == []
    assert english.swedish == {}


@pytest.mark.django_db  # the test database is set up before the crawls
@pytest.mark.parametrize("role", ROLES)
def test_the_english_crawl_reaches_the_pages_of_the_role(english_crawls, role):
    """An English crawl that stopped at the login page would prove nothing."""
    result = english_crawls[role].crawl
    assert not result.reached_bound
    assert not result.server_errors()
    minimum = 3 if role == "anonymous" else 30
    assert len(result.html_pages()) >= minimum


@pytest.mark.django_db
def test_what_views_say_after_an_action_is_english(client):
    """The crawl only reads pages. What a view says after a POST, one of each kind, in English:
    a service's refusal and a message, form errors from the forms and the models."""
    council = make_council(name="Regionala samverkansrådet", slug="regionala-samverkansradet")
    meeting = make_meeting(council, status=Meeting.Status.AGENDA_IN_PREPARATION)
    item = make_item(meeting, title="Kompetensförsörjning", kind=AgendaItem.Kind.POSITION)
    client.force_login(make_secretariat_user())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    pages = {
        "approve": client.post(reverse("meetings:agenda_approve", args=[meeting.pk]), follow=True),
        "prepared": client.post(
            reverse("meetings:item_prepared", args=[meeting.pk, item.pk]),
            {"prepared": "1", "next": "item"},
            follow=True,
        ),
        "council": client.post(
            reverse("councils:council_create"),
            {"name": "Regionala samverkansrådet", "slug": "med mellanslag", "kind": "regional"},
        ),
        "series": client.post(
            reverse("meetings:meeting_series"),
            {"council": council.pk, "kind": "monthly_digital", "first_date": "2020-01-01"},
        ),
    }

    known = _known_texts(_data_strings())
    assert {name: _swedish_ui_texts(page.text, known) for name, page in pages.items()} == {
        name: [] for name in pages
    }
    assert "The agenda cannot be approved yet" in pages["approve"].text
    assert "is marked as prepared" in pages["prepared"].text
    assert "Marked as prepared" in pages["prepared"].text  # the reason in the item's history
    assert "There is already a council with that name." in pages["council"].text
    assert "The first meeting day has already passed." in pages["series"].text


def test_the_language_switcher_sets_english_for_the_session(client):
    start = client.get("/konto/logga-in/").text
    switcher = re.search(r'<form action="([^"]+)" method="post" class="language-switcher">', start)

    client.post(switcher.group(1), {"language": "en", "next": "/"})

    page = client.get("/konto/logga-in/").text
    assert '<html lang="en">' in page
    assert settings.LANGUAGE_COOKIE_NAME in client.cookies


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
    """A choice's label in a mail's context is stored with the outbox row as Swedish text (the
    context is JSON), even when the action that sends the mail was taken in English."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        row = queue_mail(
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

    row.refresh_from_db()
    assert type(row.context["kind_label"]) is str
    assert row.context["kind_label"] == "Ställningstagande"
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


# --- Mail and the agenda PDF in an English mail language ---------------------------------------
#
# Mail is written in the mail language, settings.LANGUAGE_CODE (Swedish); the product has no
# language per recipient. Set to English, every mail and the agenda PDF are English: their
# templates and the texts the services put in them are translated as completely as the pages.


def _mail_texts(message):
    """The subject, the text body and the HTML body's text pieces of a mail."""
    html = message.alternatives[0][0] if message.alternatives else ""
    return [message.subject, *message.body.splitlines(), *_visible_texts(html)]


def _pdf_text(pdf):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture
def english_mail(settings):
    settings.LANGUAGE_CODE = "en"
    settings.INVITATION_REMINDER_DAYS = [7, 1]
    clear_pdf_cache()
    yield
    clear_pdf_cache()


@pytest.mark.django_db
def test_invitations_reminders_updates_and_the_agenda_pdf_in_an_english_mail_language(
    english_mail, mailoutbox, django_capture_on_commit_callbacks
):
    setup = make_invitation_setup(members=2, days_ahead=10, place="Härnösand, Landstingshuset")
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    [invitation] = [m for m in mailoutbox if m.to == ["Ledamot0 Efternamn0 <ledamot0@example.org>"]]
    [pdf] = pdf_parts(parse(invitation.message().as_bytes()))

    meeting = Meeting.objects.get(pk=setup.meeting.pk)
    meeting.place = "Sundsvall, Kommunhuset"
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_update(meeting=meeting, user=setup.chair_user)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.queue_reminders(now=meeting.starts_at - datetime.timedelta(days=6))
    data = _known_texts(_data_strings())

    kinds = {}
    for message in mailoutbox:
        kinds.setdefault(message.subject.split(":")[0], message)
    assert sorted(kinds) == ["Invitation", "Reminder of invitation", "Updated invitation"]
    assert {subject: _swedish_among(_mail_texts(m), data) for subject, m in kinds.items()} == {
        subject: [] for subject in kinds
    }
    pdf_text = _pdf_text(pdf)
    assert "Agenda" in pdf_text
    upper_case = [name.upper() for name in KEPT_AS_THEY_ARE]  # the PDF's header is in capitals
    known = _known_texts(data, (*KEPT_AS_THEY_ARE, *upper_case))
    assert _swedish_among(pdf_text.splitlines(), known) == []


@pytest.mark.django_db
def test_cancellation_in_an_english_mail_language(
    english_mail, mailoutbox, django_capture_on_commit_callbacks
):
    setup = make_invitation_setup(members=1)
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_invitations(meeting=setup.meeting, user=setup.chair_user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sending.cancel_meeting(meeting=setup.meeting, user=setup.chair_user)

    assert mailoutbox
    data = _known_texts(_data_strings())
    assert [_swedish_among(_mail_texts(m), data) for m in mailoutbox] == [[] for _ in mailoutbox]


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["accept", "defer", "decline"])
def test_proposal_decisions_in_an_english_mail_language(
    english_mail, mailoutbox, django_capture_on_commit_callbacks, decision
):
    council = make_council(name="Regionala samverkansrådet")
    member = make_member_user(council, username="bertil")
    rus_user = make_rus_group_user(username="rus")
    proposal = make_proposal(member, title="Bredband i hela länet")
    meeting = make_meeting(council, title="Månadsmöte mars")
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "accept":
            proposal_services.accept_proposal(proposal=proposal, meeting=meeting, user=rus_user)
        elif decision == "defer":
            proposal_services.defer_proposal(proposal=proposal, meeting=meeting, user=rus_user)
        else:
            proposal_services.decline_proposal(
                proposal=proposal, user=rus_user, reason="Hör till Stora samverkansrådet."
            )

    [message] = mailoutbox
    assert message.to == ["bertil@example.org"]
    assert _swedish_among(_mail_texts(message), _known_texts(_data_strings())) == []


@pytest.mark.django_db
def test_password_reset_in_an_english_mail_language(
    english_mail, client, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("anna")  # anna@example.org

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/aterstall-losenord/", {"email": "anna@example.org"})

    [message] = mailoutbox
    assert message.subject == "Reset your password in Samverkan"
    assert _swedish_among(_mail_texts(message), _known_texts(_data_strings())) == []
