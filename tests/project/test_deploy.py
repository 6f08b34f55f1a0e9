"""Production settings pass `check --deploy`; seed_demo stays out of production unless forced."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from rus.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "samverkan.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://samverkan.example.org",
    "SITE_URL": "https://samverkan.example.org",
    "DATABASE_URL": "postgres://samverkan:secret@db.example.org:5432/samverkan",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_", "PYTEST_")) and key not in PRODUCTION_ENV
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_documented_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_notices_a_weak_secret_key():
    """The check above is not vacuous: a short key is reported (security.W009)."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_ENV, "SECRET_KEY": "short"}
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}

    result = run_manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("debug", ["1", "0"])
def test_django_log_messages_are_written_once(debug):
    """Django's own console handler and ours must not both print each django.* message."""
    code = "import logging; logging.getLogger('django.request').warning('Not Found: /saknas')"
    env = {"DEBUG": debug, "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}

    result = run_manage("shell", "--no-imports", "-c", code, **env)

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /saknas") == 1, result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_seed_demo_with_force_creates_demo_users_and_prints_logins(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://samverkan.example.org"
    out = StringIO()

    call_command("seed_demo", force=True, stdout=out)

    users = get_user_model().objects.in_bulk(field_name="username")
    assert set(users) >= {username for username, _ in DEMO_USERS}
    assert all(users[username].check_password(DEMO_PASSWORD) for username, _ in DEMO_USERS)
    assert users["admin"].is_superuser
    assert not users["kansli"].is_superuser
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    assert all(username in printed for username, _ in DEMO_USERS)
    assert "Logga in på https://samverkan.example.org/" in printed  # where it runs, not :8000


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_keeps_changed_passwords(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    kansli = get_user_model().objects.get(username="kansli")
    kansli.set_password("eget-lösenord-2026")
    kansli.save()
    count = get_user_model().objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert get_user_model().objects.count() == count
    kansli.refresh_from_db()
    assert kansli.check_password("eget-lösenord-2026")


def test_ci_script_is_valid_bash_and_tests_on_postgres_and_redis():
    script = ROOT / ".ci" / "run"

    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert 'export DATABASE_URL="postgres://' in text
    assert "export REDIS_URL=" in text
    assert "export CI=true" in text
    assert text.rstrip().endswith("make test")


def test_one_image_serves_web_worker_and_beat():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()

    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    for service in ("web", "worker", "beat", "db", "redis", "mailpit"):
        assert f"\n  {service}:\n" in compose
    assert compose.count("<<: *app") == 3
    assert "image: postgres:16" in compose
    assert "pg_isready" in compose


def test_image_installs_the_debian_packages_ci_tests_with():
    """The image pins the Debian release CI runs on, so that its package names are the tested
    ones (a floating python:3.11-slim moves to a newer Debian whose names may differ)."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    assert "FROM python:3.11-slim-bookworm\n" in dockerfile
    install = dockerfile.split("apt-get install -y --no-install-recommends")[1].split("&&")[0]
    ci_packages = set(ci.split("packages=(")[1].split(")")[0].split())
    assert set(install.replace("\\", " ").split()) <= ci_packages


def test_the_env_file_with_the_secret_key_stays_out_of_image_and_repository():
    """README puts SECRET_KEY in .env for docker compose; `COPY . .` must not bake it in."""
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
    assert ".env" in (ROOT / ".gitignore").read_text().split()
