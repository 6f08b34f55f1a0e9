"""Language switcher (Swedish first, English second) and the Swedish error pages."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_swedish_is_the_default_language(client):
    page = client.get("/konto/logga-in/").text

    assert '<html lang="sv">' in page
    assert '<option value="sv" lang="sv" selected>Svenska</option>' in page
    assert '<option value="en" lang="en">English</option>' in page


def test_language_switcher_turns_base_pages_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/logga-in/"})
    assert response.url == "/konto/logga-in/"

    page = client.get("/konto/logga-in/").text

    assert '<html lang="en">' in page
    assert "<h1>Log in</h1>" in page
    assert "Skip to content" in page
    assert "Forgot your password?" in page


def test_english_start_page_and_login_error(client):
    make_user("alice")
    client.post("/i18n/setlang/", {"language": "en"})

    error = client.post("/konto/logga-in/", {"username": "alice", "password": "wrong"}).text
    assert "Wrong username or password" in error

    client.force_login(make_user("bob"))
    page = client.get("/").text
    assert "<h1>Welcome</h1>" in page
    assert "Log out" in page
    assert "Change password" in page


def test_password_and_lockout_pages_follow_the_chosen_language(client, settings):
    """With English chosen, the account pages are English, not Swedish text round English
    form labels."""
    client.post("/i18n/setlang/", {"language": "en"})

    assert "<h1>Reset your password</h1>" in client.get("/konto/aterstall-losenord/").text
    assert "<h1>Check your email</h1>" in client.get("/konto/aterstall-losenord/skickat/").text
    assert "The link no longer works" in client.get("/konto/aterstall/MQ/fel-token/").text
    assert "<h1>Your new password is saved</h1>" in client.get("/konto/aterstall/klart/").text
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 1
    make_user("alice")
    locked = client.post("/konto/logga-in/", {"username": "alice", "password": "fel"}).text
    assert "Too many failed login attempts for <strong>alice</strong>" in locked
    assert "Try again in 15 minutes." in locked
    settings.AXES_ENABLED = False
    client.force_login(make_user("bob"))
    page = client.get("/konto/byt-losenord/").text
    assert "<h1>Change password</h1>" in page
    assert "Enter your current password" in page
    assert ">Cancel</a>" in page


def test_switching_back_to_swedish(client):
    client.post("/i18n/setlang/", {"language": "en"})
    client.post("/i18n/setlang/", {"language": "sv"})

    assert "<h1>Logga in</h1>" in client.get("/konto/logga-in/").text


def test_404_page_is_swedish(client):
    client.force_login(make_user("alice"))

    response = client.get("/finns-inte-alls/")

    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in response.text
    assert "Till startsidan" in response.text


def test_403_page_is_swedish():
    request = RequestFactory().get("/")
    request.user = make_user("alice")

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "<h1>Åtkomst nekad</h1>" in response.content.decode()


def test_500_page_is_swedish_and_needs_no_context():
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Något gick fel</h1>" in page
    assert '<html lang="sv">' in page


def test_csrf_failure_page_is_swedish():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/konto/logga-in/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.text


def test_pages_name_an_icon_that_is_served(client):
    """Browsers ask for an icon on every page: name ours, so none asks for /favicon.ico in vain."""
    page = client.get("/konto/logga-in/").text

    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon
    assert client.get(icon.group(1)).status_code == 200
    assert '<link rel="icon"' in defaults.server_error(RequestFactory().get("/")).content.decode()
