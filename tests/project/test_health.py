"""/healthz: 200 with JSON when the parts answer, 503 naming the part that failed."""

import os

import pytest
from django.db import OperationalError

from rus.views import site as views
from tests.support.smtp import free_port

pytestmark = pytest.mark.django_db


def test_healthz_is_200_json_when_database_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "failed": [], "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200


def test_healthz_is_503_naming_unreachable_broker(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fel"
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("fel: ")


def test_healthz_is_503_naming_failing_database(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def database_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "_check_database", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "fel: OperationalError"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: needs Redis")
def test_healthz_checks_real_broker_when_configured(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_plain_http_when_https_is_enforced(client, settings):
    """Container health checks call http://127.0.0.1:8000/healthz from inside."""
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/konto/logga-in/").status_code == 301
