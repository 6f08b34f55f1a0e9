"""Rendered documents (rus.documents): one row and one file per version, a task run twice
renders once, failures retried then failed with the reason, a failed one rendered again from
its page, the sweep of lost tasks, and the views' rights through the owning app's rule."""

import datetime
import hashlib

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from rus.documents import registry, rendering
from rus.documents.models import RenderedDocument, RenderStatus
from rus.tasks import render_document
from tests.factories import make_user

pytestmark = pytest.mark.django_db

READERS = {"lasare", "skrivare"}


class Note:
    """A small real renderer of its own kind: a text file naming its object and version, made
    `fail` times with an error first (a renderer that is down for a while)."""

    def __init__(self, kind, fail=0):
        self.kind = kind
        self.fail = fail
        self.calls = 0

    def render(self, document):
        self.calls += 1
        if self.calls <= self.fail:
            raise RuntimeError(f"typsnittet saknas ({self.calls})")
        text = f"Anteckning {document.object_key} version {document.version_key} – åäö"
        return registry.Rendered(
            content=text.encode(),
            filename="anteckning.txt",
            content_type="text/plain",
            page_count=1,
        )

    def register(self):
        return registry.register(
            registry.Renderer(
                kind=self.kind,
                render=self.render,
                may_read=lambda user, document: user.get_username() in READERS,
                may_rerender=lambda user, document: user.get_username() == "skrivare",
                label="Anteckningen",
            )
        )


@pytest.fixture
def note(settings):
    settings.DOCUMENT_RETRY_BACKOFF_SECONDS = 0
    renderer = Note("test_note")
    renderer.register()
    return renderer


@pytest.fixture
def flaky(settings):
    settings.DOCUMENT_RETRY_BACKOFF_SECONDS = 0
    settings.DOCUMENT_MAX_RETRIES = 2
    renderer = Note("test_flaky", fail=10)
    renderer.register()
    return renderer


def ask(kind="test_note", object_key=7, version_key="v1", *, execute=True):
    with TestCase.captureOnCommitCallbacks(execute=execute):
        return rendering.request_document(kind=kind, object_key=object_key, version_key=version_key)


def test_a_version_is_rendered_once_with_its_checksum_size_and_pages(note):
    document = ask()
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE
    content = document.file.read()
    assert content.decode() == "Anteckning 7 version v1 – åäö"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.page_count == 1
    assert document.attempts == 1
    assert document.finished_at is not None
    assert document.file.name == "documents/test_note/7/v1/anteckning.txt"


def test_asking_again_and_running_the_task_again_make_no_second_row_or_file(note, settings):
    first = ask()
    again = ask()
    assert again.pk == first.pk
    render_document.delay(first.pk)
    render_document.delay(first.pk)
    assert note.calls == 1
    assert RenderedDocument.objects.count() == 1
    files = list((settings.MEDIA_ROOT / "documents/test_note/7/v1").iterdir())
    assert [f.name for f in files] == ["anteckning.txt"]


def test_a_new_version_is_a_new_row(note):
    ask(version_key="v1")
    ask(version_key="v2")
    assert RenderedDocument.objects.for_object("test_note", 7).count() == 2
    assert RenderedDocument.objects.latest_for("test_note", 7).version_key == "v2"


def test_the_task_is_published_only_when_the_transaction_commits(note):
    document = ask(execute=False)
    assert note.calls == 0
    assert RenderedDocument.objects.get(pk=document.pk).status == RenderStatus.QUEUED


def test_an_unknown_kind_is_refused_where_it_is_asked_for(db):
    with pytest.raises(LookupError):
        rendering.request_document(kind="finns_inte", object_key=1, version_key="1")


def test_a_failing_render_is_retried_then_failed_with_a_swedish_reason(flaky):
    document = ask(kind="test_flaky")
    document.refresh_from_db()
    # Eager tasks run the retries at once: the first try and DOCUMENT_MAX_RETRIES more.
    assert flaky.calls == 3
    assert document.status == RenderStatus.FAILED
    assert document.attempts == 3
    assert document.last_error.startswith("Försök 3 att skapa dokumentet misslyckades.")
    assert "typsnittet saknas (3)" in document.last_error
    assert not document.file
    assert document.sha256 == ""


def test_a_render_that_recovers_within_its_retries_is_done(note):
    note.fail = 2
    document = ask()
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE
    assert document.attempts == 3
    assert document.last_error == ""


def test_a_failed_document_is_rendered_again_from_the_start(flaky):
    document = ask(kind="test_flaky")
    flaky.fail = 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert rendering.rerender(document=document) is True
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE
    assert document.attempts == 1
    # Only a failed document is rendered again.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert rendering.rerender(document=document) is False
    assert flaky.calls == 4


def test_the_sweep_publishes_lost_tasks_and_rows_left_rendering_by_a_dead_worker(note, settings):
    never_published = ask(object_key=1, execute=False)
    dead = ask(object_key=2, execute=False)
    fresh = ask(object_key=3, execute=False)
    past = timezone.now() - datetime.timedelta(hours=1)
    RenderedDocument.objects.filter(pk=never_published.pk).update(created_at=past)
    RenderedDocument.objects.filter(pk=dead.pk).update(
        status=RenderStatus.RENDERING, rendering_since=past, attempts=1
    )
    busy = ask(object_key=4, execute=False)
    RenderedDocument.objects.filter(pk=busy.pk).update(
        status=RenderStatus.RENDERING, rendering_since=timezone.now(), attempts=1
    )
    assert set(rendering.stale_documents().values_list("pk", flat=True)) == {
        never_published.pk,
        dead.pk,
    }
    assert rendering.sweep() == 2
    states = dict(RenderedDocument.objects.values_list("pk", "status"))
    assert states[never_published.pk] == states[dead.pk] == RenderStatus.DONE
    assert states[fresh.pk] == RenderStatus.QUEUED
    # A worker still rendering is left alone, even when its task is published again.
    render_document.delay(busy.pk)
    assert RenderedDocument.objects.get(pk=busy.pk).status == RenderStatus.RENDERING


# --- Views -------------------------------------------------------------------------------------


def test_reader_gets_the_file_and_the_status_line(client, note):
    document = ask()
    client.force_login(make_user("lasare"))
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("Anteckning 7")
    response = client.get(reverse("document_status", args=[document.pk]))
    assert "Ladda ner Anteckningen" in response.text
    assert document.sha256 in response.text


def test_someone_the_owning_app_refuses_gets_404(client, note):
    document = ask()
    client.force_login(make_user("annan"))
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404
    assert client.get(reverse("document_status", args=[document.pk])).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, note):
    document = ask()
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_pending_document_polls_and_has_no_file_yet(client, note):
    document = ask(execute=False)
    client.force_login(make_user("lasare"))
    response = client.get(reverse("document_status", args=[document.pk]))
    assert "Anteckningen skapas…" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


def test_a_failed_document_shows_the_retry_form_to_who_may_use_it(client, flaky):
    document = ask(kind="test_flaky")
    client.force_login(make_user("lasare"))
    response = client.get(reverse("document_status", args=[document.pk]))
    assert "Anteckningen kunde inte skapas." in response.text
    assert "Försök igen" not in response.text
    url = reverse("document_rerender", args=[document.pk])
    assert client.post(url).status_code == 403

    client.force_login(make_user("skrivare"))
    response = client.get(reverse("document_status", args=[document.pk]))
    assert "Försök igen" in response.text
    flaky.fail = 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"next": "/moten/"})
    assert response.status_code == 302
    assert response["Location"] == "/moten/"
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE


def test_rerender_does_not_redirect_elsewhere(client, flaky):
    document = ask(kind="test_flaky")
    client.force_login(make_user("skrivare"))
    response = client.post(
        reverse("document_rerender", args=[document.pk]), {"next": "https://example.org/"}
    )
    assert response["Location"] == reverse("home")


def test_status_line_queries_are_fixed(client, note, django_assert_max_num_queries):
    document = ask()
    client.force_login(make_user("lasare"))
    with django_assert_max_num_queries(4):  # session, user, document (+ savepoint-free)
        client.get(reverse("document_status", args=[document.pk]))
