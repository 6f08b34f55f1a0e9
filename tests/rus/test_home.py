import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_login_page_is_swedish(client):
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    assert "Logga in" in response.text
    assert 'lang="sv"' in response.text


def test_signed_in_user_sees_start_page(client):
    client.force_login(make_user("alice"))
    response = client.get("/")
    assert response.status_code == 200
    assert "Välkommen" in response.text


def test_browser_language_does_not_switch_the_ui_to_english(client):
    response = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="sv"' in response.text
    assert "Logga in" in response.text


def test_chosen_english_is_kept_in_the_language_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/logga-in/"})
    assert response.status_code == 302
    response = client.get("/konto/logga-in/")
    assert 'lang="en"' in response.text
