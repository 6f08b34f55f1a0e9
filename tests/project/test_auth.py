"""Login, logout, password change and reset pages in Swedish; lockout after repeated failures."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
PASSWORD = "secret-pass-123"  # what tests.factories.make_user sets


def test_login_with_right_password_goes_to_start_page(client):
    make_user("alice")

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Välkommen" in response.text


def test_login_with_wrong_password_shows_swedish_error_and_keeps_username(client):
    make_user("alice")

    response = client.post(LOGIN, {"username": "alice", "password": "fel"})

    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.text
    assert 'value="alice"' in response.text
    assert 'role="alert"' in response.text


def test_login_redirects_to_next(client):
    make_user("alice")

    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "next": "/konto/byt-losenord/"}
    )

    assert response.url == "/konto/byt-losenord/"


def test_logged_in_user_visiting_login_goes_to_start(client):
    client.force_login(make_user("alice"))

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == "/"


def test_logout_is_post_only_and_leads_back_to_login(client):
    client.force_login(make_user("alice"))

    confirm = client.get("/konto/logga-ut/")  # a bookmark or a prefetch does not log out
    assert confirm.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post("/konto/logga-ut/")

    assert response.url == LOGIN
    assert client.get("/").status_code == 302


def test_logout_address_opened_directly_asks_for_the_click(client):
    """An empty 405 page was all a bookmarked /konto/logga-ut/ showed."""
    client.force_login(make_user("alice"))

    page = client.get("/konto/logga-ut/").text

    assert "<h1>Logga ut</h1>" in page
    assert '<form method="post" action="/konto/logga-ut/">' in page
    client.logout()
    assert client.get("/konto/logga-ut/").url == LOGIN


def test_login_page_says_you_are_logged_out(client):
    client.force_login(make_user("alice"))

    response = client.post("/konto/logga-ut/", follow=True)

    assert "Du är utloggad." in response.text


def test_base_page_has_skip_link_landmarks_and_csrf_header(client):
    client.force_login(make_user("alice"))

    page = client.get("/").text

    assert '<a class="skip-link" href="#main">Hoppa till innehållet</a>' in page
    assert '<main id="main"' in page
    assert '<nav aria-label="Huvudmeny"' in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "/static/vendor/htmx-2.0.11.min.js" in page
    assert "https://" not in page  # no CDN: the app works on a closed network
    assert "<title>Start – Samverkan</title>" in page


def test_admin_link_only_for_staff(client):
    client.force_login(make_user("alice"))
    assert "Administration" not in client.get("/").text

    client.force_login(make_user("admin", is_staff=True))
    assert "Administration" in client.get("/").text


def test_password_change_requires_login(client):
    response = client.get("/konto/byt-losenord/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_change_in_swedish(client):
    user = make_user("alice")
    client.force_login(user)

    page = client.get("/konto/byt-losenord/").text
    assert "<h1>Byt lösenord</h1>" in page

    response = client.post(
        "/konto/byt-losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "Ny-hemlig-fras-2026",
            "new_password2": "Ny-hemlig-fras-2026",
        },
        follow=True,
    )

    assert "Lösenordet är bytt" in response.text
    user.refresh_from_db()
    assert user.check_password("Ny-hemlig-fras-2026")


def test_password_change_with_wrong_old_password_shows_swedish_error(client):
    client.force_login(make_user("alice"))

    response = client.post(
        "/konto/byt-losenord/",
        {"old_password": "fel", "new_password1": "Ny-fras-2026!", "new_password2": "Ny-fras-2026!"},
    )

    assert response.status_code == 200
    assert "Ditt gamla lösenord var felaktigt" in response.text


def test_password_reset_pages_are_swedish(client):
    assert "Återställ lösenord" in client.get("/konto/aterstall-losenord/").text
    assert "Kolla din e-post" in client.get("/konto/aterstall-losenord/skickat/").text
    assert "Lösenordet är sparat" in client.get("/konto/aterstall/klart/").text
    invalid = client.get("/konto/aterstall/MQ/fel-token/")
    assert "Länken fungerar inte längre" in invalid.text


def test_password_reset_through_form_sends_one_mail_with_working_link(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """Without Redis the mail task runs eagerly; the mail still leaves over real SMTP."""
    user = make_user("alice")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/aterstall-losenord/", {"email": "alice@example.org"})

    assert response.url == "/konto/aterstall-losenord/skickat/"
    [message] = smtp_server.messages
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Återställ ditt lösenord i Samverkan"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = re.search(r"http://testserver(/konto/aterstall/\S+/)", text).group(1)
    assert link in html

    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Ny-hemlig-fras-2026", "new_password2": "Ny-hemlig-fras-2026"},
        follow=True,
    )
    assert "Lösenordet är sparat" in done.text
    user.refresh_from_db()
    assert user.check_password("Ny-hemlig-fras-2026")


def test_password_reset_for_unknown_address_sends_nothing_and_looks_the_same(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/aterstall-losenord/", {"email": "nobody@example.org"})

    assert response.url == "/konto/aterstall-losenord/skickat/"
    assert smtp_server.messages == []


def test_repeated_failed_logins_lock_out_with_swedish_page(client, settings):
    """django-axes: after AXES_FAILURE_LIMIT failures even the right password is refused."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_user("alice")

    for _ in range(2):
        response = client.post(LOGIN, {"username": "alice", "password": "fel"})
        assert response.status_code == 200
    locked = client.post(LOGIN, {"username": "alice", "password": "fel"})
    still_locked = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in locked.text
    assert "Försök igen om 15 minuter" in locked.text
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    make_user("alice")
    make_user("bob")
    for _ in range(2):
        client.post(LOGIN, {"username": "alice", "password": "fel"})

    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302
    assert get_user_model().objects.get(username="bob").last_login is not None


def test_invalid_field_points_at_its_help_and_error_text(client):
    """Screen readers read a field's help and error: every aria-describedby id must exist."""
    client.force_login(make_user("alice"))

    page = client.post(
        "/konto/byt-losenord/",
        {"old_password": "fel", "new_password1": "kort", "new_password2": "annan"},
    ).text

    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert "id_new_password1_helptext" in " ".join(described)
    assert "id_old_password_error" in " ".join(described)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert {ref for refs in described for ref in refs.split()} <= ids
