"""The Nu HTML Checker (vnu.jar from the npm package `vnu-jar`, run on Debian's Java) over the
main pages of every role on the demo data: no error but htmx's own `hx-*` attributes, which the
HTML standard does not know (custom attributes would have to be `data-hx-*`)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from meetings.demo import APPROVED_TITLE, PREPARATION_TITLE, PREPARED_TITLE
from meetings.demo_invitations import TITLE as INVITED_TITLE
from meetings.models import Invitation, ItemProposal, Meeting
from meetings.tokens import make_reply_token
from tests.support.browser import in_ci

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
HTMX_ATTRIBUTE = re.compile(
    r"^Attribute “hx-[a-z-]+” not allowed on element “[a-z0-9]+” at this point\.$"
)


@pytest.fixture
def vnu():
    java = shutil.which("java")
    missing = [] if java else ["java (apt install default-jre-headless)"]
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR} (make install: npm ci)")
    if missing:
        reason = "The Nu HTML Checker needs " + " and ".join(missing)
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return [java, "-jar", str(VNU_JAR)]


def main_pages(demo):
    """(role, url) of the pages people use most, as each role sees them."""
    approved = Meeting.objects.get(title=APPROVED_TITLE)
    preparing = Meeting.objects.get(title=PREPARATION_TITLE)
    handed_over = Meeting.objects.get(title=PREPARED_TITLE)
    invited = Meeting.objects.get(title=INVITED_TITLE)
    item = approved.items.filter(is_standing=False).first()
    proposal = ItemProposal.objects.order_by("pk").first()
    invitation = Invitation.objects.filter(meeting=invited, reply="").first()
    reply = reverse("meetings:invitation_reply", args=[make_reply_token(invitation)])
    pages = [
        ("anonymous", reverse("login")),
        ("anonymous", reply),
        ("anonymous", f"{reply}?svar=attending"),
        ("anonymous", f"{reply}?svar=substitute"),
        ("anonymous", reverse("archive_report:report")),
        ("kansli", reverse("home")),
        ("kansli", reverse("meetings:meeting_list")),
        ("kansli", reverse("meetings:meeting_create")),
        ("kansli", reverse("meetings:meeting_series")),
        ("kansli", reverse("meetings:meeting_detail", args=[approved.pk])),
        ("kansli", reverse("meetings:meeting_edit", args=[approved.pk])),
        ("kansli", reverse("meetings:item_detail", args=[approved.pk, item.pk])),
        ("kansli", reverse("meetings:item_create", args=[preparing.pk])),
        ("kansli", reverse("meetings:agenda_preview", args=[approved.pk])),
        ("kansli", reverse("meetings:invitation_progress", args=[invited.pk])),
        ("kansli", reverse("meetings:reply_overview", args=[invited.pk])),
        ("kansli", reverse("meetings:proposal_queue")),
        ("kansli", reverse("meetings:review_matrix", args=[approved.pk])),
        ("kansli", reverse("councils:council_list")),
        ("kansli", reverse("outgoing_mail")),
        ("rusgrupp", reverse("meetings:meeting_detail", args=[preparing.pk])),
        ("ordforande", reverse("home")),
        ("ordforande", reverse("meetings:meeting_detail", args=[handed_over.pk])),
        ("ordforande", reverse("meetings:invitation_send", args=[approved.pk])),
        ("ledamot", reverse("meetings:my_meetings")),
        ("ledamot", reverse("meetings:meeting_detail", args=[invited.pk])),
        ("ledamot", reverse("meetings:proposal_create")),
        ("ledamot", reverse("meetings:calendar_settings")),
    ]
    if proposal is not None:
        pages.append(("kansli", reverse("meetings:proposal_detail", args=[proposal.pk])))
    return pages


def test_main_pages_are_valid_html_but_for_htmx_attributes(demo, vnu, tmp_path):
    files = {}
    for number, (role, url) in enumerate(main_pages(demo)):
        client = Client()
        if role != "anonymous":
            client.force_login(demo[role])
        response = client.get(url)
        assert response.status_code == 200, f"{role} {url}: {response.status_code}"
        path = tmp_path / f"page{number:02d}.html"
        path.write_bytes(response.content)
        files[path] = f"{role} {url}"
    # A series preview: the form posted once, with its dates as checkboxes.
    client = Client()
    client.force_login(demo["kansli"])
    council = Meeting.objects.get(title=APPROVED_TITLE).council
    preview = client.post(
        reverse("meetings:meeting_series"),
        {
            "council": council.pk,
            "kind": Meeting.Kind.MONTHLY_DIGITAL,
            "title": "Månadsmöte",
            "first_date": "2099-01-01",
            "start_time": "09:00",
            "end_time": "11:00",
            "pattern": "date",
            "interval_months": "1",
            "count": "6",
            "preview": "1",
        },
    )
    path = tmp_path / "series-preview.html"
    path.write_bytes(preview.content)
    files[path] = "kansli series preview"

    # One JVM for every page: the checker reports on stderr, as JSON.
    result = subprocess.run(
        [*vnu, "--format", "json", "--errors-only", *(str(path) for path in files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    labels = {f"file:{path}": label for path, label in files.items()}
    errors = [
        f"{labels.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" and not HTMX_ATTRIBUTE.match(m["message"])
    ]
    # The checker did read the pages: the htmx attributes it reports are the proof.
    assert any(HTMX_ATTRIBUTE.match(m["message"]) for m in messages), result.stderr[:2000]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
