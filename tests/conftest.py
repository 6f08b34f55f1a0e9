"""Fixtures shared by every test in Samverkan.

- `smtp_server`: a real SMTP server on 127.0.0.1 (aiosmtpd); Django's mail settings point at it.
- `celery_worker`: a real Celery worker thread on $REDIS_URL; skipped when REDIS_URL is unset.
  It makes the test transactional (work is enqueued on commit and the worker thread must see
  committed rows), as `@pytest.mark.django_db(transaction=True)` would.
- `browser_page`: a Playwright page on Debian's chromium against pytest-django's `live_server`
  (relative URLs work: `browser_page.goto("/konto/logga-in/")`); skipped without chromium,
  except in CI (CI=true) where a missing browser fails the test.

Everything else runs Celery tasks eagerly, whether or not REDIS_URL is set.

`celery_worker` and `browser_page` make the test transactional with serialized rollback, so
rows written by data migrations (e.g. the sustainability goals) are there in those tests too.
"""

import os

import pytest

from tests.support.browser import CHROMIUM_ARGS, in_ci, require_chromium


def pytest_collection_modifyitems(items):
    for item in items:
        _serialize_rollback_of_transactional_tests(item)
        fixtures = getattr(item, "fixturenames", ())
        if "browser_page" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "celery_worker" in fixtures:
            item.add_marker(pytest.mark.celery_worker)


def _serialize_rollback_of_transactional_tests(item):
    """Every transactional test restores the database it found, whatever the test order.

    A transactional test without serialized rollback ends with a flush that re-creates content
    types under new ids; a later test with serialized rollback (all worker and browser tests)
    then fails to restore the original rows. Serialized rollback everywhere avoids both the
    conflict and the loss of rows written by data migrations.
    """
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    # A test may be transactional through its marker or through a fixture it (or a fixture it
    # uses) asks for, without any marker.
    fixtures = getattr(item, "fixturenames", ())
    transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & set(fixtures)
    if transactional and "serialized_rollback" not in kwargs:
        kwargs.update(transaction=True, serialized_rollback=True)
        args = marker.args if marker else ()
        item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated documents go to the test's own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def media(settings):
    """The folder where this test's documents are stored."""
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_lockouts_between_tests(settings):
    """django-axes is off in tests; a lockout test turns it back on with `settings.AXES_ENABLED`."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process unless the test asks for `celery_worker` (which runs after this)."""
    from rus.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def smtp_server(settings):
    from tests.support.smtp import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: this test needs Redis and a real Celery worker")
    from tests.support.celery_worker import running_worker

    with running_worker(redis_url) as app:
        yield app


@pytest.fixture(scope="session")
def _chromium(django_db_setup):
    executable = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci():
            raise
        pytest.skip("Playwright is not installed: browser tests need it")
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # where a loop is present unless told that this is deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Starting Playwright switches this thread to a new context, and Django keeps its database
    # connections per context: keep the test database's connection objects (they carry the
    # serialized contents that `serialized_rollback` restores) in the new context too.
    from django.db import connections

    database_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in database_connections.items():
        connections[alias] = connection
    browser = playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


# Chromium reports most Content-Security-Policy refusals on the console itself; this listener
# reports every one, with what was refused and where.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || document.location.href}:${event.lineNumber})`);
});
"""


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy during a browser test."""
    return []


@pytest.fixture
def browser_page(_chromium, live_server, django_db_serialized_rollback, csp_violations):
    """A page in a fresh browser context; a test fails when the page broke its own
    Content-Security-Policy (an inline script or style, a foreign source), however it passed."""
    context = _chromium.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", lambda message: _record_csp_violation(message, csp_violations))
    try:
        yield page
    finally:
        context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))


def _record_csp_violation(message, violations):
    text = message.text
    if message.type == "error" and ("Content Security Policy" in text or "CSP violation" in text):
        violations.append(text)


@pytest.fixture
def admin_user(db):
    """pytest-django's `admin_user` (and so `admin_client`), built by the role helpers."""
    from tests.factories import make_admin_user

    return make_admin_user()
