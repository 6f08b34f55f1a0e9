"""English is complete and stays complete; Swedish stays the default and the language of mail.

- The catalogue (locale/en/LC_MESSAGES/django.po) translates every msgid, none of them fuzzy,
  with the same placeholders, and the committed .mo holds exactly the .po's translations.
- `makemessages` finds no msgid the catalogue lacks, and the catalogue keeps none the code has
  dropped: a new untranslated string anywhere in the project fails here.
- Mail is Swedish whatever language the person whose action sends it has chosen.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

from meetings.models import ItemProposal
from rus.emails import build_message, queue_mail
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
    mailoutbox, django_capture_on_commit_callbacks
):
    """A choice's label in a mail's context is the Swedish one, even when the action that sends
    the mail was taken in English."""
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

    [message] = mailoutbox
    assert message.subject == "Nytt ärendeförslag att bereda: Kompetensförsörjning"
    assert "Kompetensförsörjning (Ställningstagande)" in message.body


@pytest.mark.django_db
def test_password_reset_asked_for_in_english_sends_a_swedish_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("anna")  # anna@example.org
    client.post("/i18n/setlang/", {"language": "en"})

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/konto/aterstall-losenord/", {"email": "anna@example.org"}, follow=True)

    assert "<h1>Check your email</h1>" in page.text
    [message] = mailoutbox
    assert message.subject == "Återställ ditt lösenord i Samverkan"
    assert "Någon (förhoppningsvis du) har bett om" in message.body
