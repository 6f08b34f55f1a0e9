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
    _run_demo_tests_last(items)


def _run_demo_tests_last(items):
    """The tests on the shared demo data (`demo`) run one after the other, in their usual order,
    after the other tests that roll back a transaction and before the transactional ones
    (pytest-django has sorted them so): the demo data is loaded before the first of them and
    rolled back after the last (`pytest_runtest_teardown`)."""
    on_demo = [item for item in items if _uses_demo(item)]
    for item in on_demo:
        if _order(item) != 0:
            raise pytest.UsageError(
                f"{item.nodeid}: the shared demo data is for tests that run in a transaction "
                "rolled back at their end; a transactional test seeds its own (seed_demo)."
            )
    if on_demo:
        shared = set(on_demo)
        rest = [item for item in items if item not in shared]
        end = sum(1 for item in rest if _order(item) == 0)
        items[:] = rest[:end] + on_demo + rest[end:]


def _uses_demo(item):
    return "_demo_database" in getattr(item, "fixturenames", ())


def _order(item):
    """pytest-django's order: 0 in a rolled-back transaction, 1 transactional, 2 no database."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & fixtures:
        return 1
    return 0 if marker or "db" in fixtures else 2


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _uses_demo(item) and (nextitem is None or not _uses_demo(nextitem)):
        _SharedDemo.close()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with no cached page fragments (Redis or local memory): a fragment
    cached by one test must not answer another's request."""
    from rus.fragments import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    """Uploaded and generated documents go to the test's own folder, never to var/media (with
    the shared demo data: to the folder that holds the demo's documents)."""
    if "_demo_database" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("_demo_database").open()
    else:
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
    # Generous: a loaded CI machine answers an htmx save in seconds, not milliseconds.
    context.set_default_timeout(20_000)
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


# --- The demo data, loaded once ---------------------------------------------------------------


class _SharedDemo:
    """`seed_demo` run once, in a transaction that stays open while the demo tests run; each of
    them runs in its own transaction inside this one, rolled back at its end like any test's."""

    blocker = None
    media = None
    outer = None

    @classmethod
    def open(cls):
        """The folder with the demo's documents; loads the demo data unless it is loaded."""
        if cls.outer is not None:
            return cls.media
        from io import StringIO

        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import override_settings

        from rus.celery import app

        if connection.in_atomic_block:
            raise RuntimeError("The demo data loads before a test's own transaction, not in it.")
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        with cls.blocker.unblock():
            cls.outer = transaction.atomic()
            cls.outer.__enter__()
            try:
                with override_settings(
                    MEDIA_ROOT=cls.media,
                    STORAGES={
                        **settings.STORAGES,
                        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    },
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                    AXES_ENABLED=False,
                ):
                    call_command("seed_demo", force=True, stdout=StringIO())
            except BaseException:
                cls.close()
                raise
            finally:
                app.conf.task_always_eager = eager
        return cls.media

    @classmethod
    def close(cls):
        """Roll the demo data back: the database is as the other tests expect it."""
        if cls.outer is None:
            return
        from django.db import transaction

        with cls.blocker.unblock():
            transaction.set_rollback(True)
            cls.outer.__exit__(None, None, None)
        cls.outer = None


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The shared demo data (see `_SharedDemo`), loaded for the first test that uses it."""
    _SharedDemo.blocker = django_db_blocker
    _SharedDemo.media = tmp_path_factory.mktemp("demo-media")
    _SharedDemo.open()
    yield _SharedDemo
    _SharedDemo.close()


@pytest.fixture
def demo(_demo_database, db):
    """The demo data of `make run`, for a test that reads it (its writes are rolled back at its
    end): the demo users by username, fresh from the database."""
    from django.contrib.auth import get_user_model

    from rus.management.commands.seed_demo import DEMO_USERS

    _demo_database.open()
    users = get_user_model().objects.filter(username__in=[name for name, _ in DEMO_USERS])
    return {user.username: user for user in users}
