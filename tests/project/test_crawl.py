"""Every page reachable on the demo data, for every demo role and anonymous: no server error.

The shared demo data (`demo`, tests/conftest.py) is crawled once per role (tests/support/crawl.py);
the tests read the crawls. Pages of new apps are crawled as soon as a page links to them.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from rus.management.commands.seed_demo import DEMO_USERS
from tests.support.crawl import crawl

pytestmark = pytest.mark.django_db  # so that the test database is set up before the crawls

ROLES = ["anonymous", *(username for username, _ in DEMO_USERS)]


@pytest.fixture(scope="module")
def crawls(_demo_database, django_db_blocker):
    """Crawls of the shared demo data per role; what the crawls write is rolled back."""
    from rus.celery import app

    files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=_demo_database.open(),
                STORAGES={**settings.STORAGES, "default": files},
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                AXES_ENABLED=False,
            ),
            transaction.atomic(),
        ):
            users = {user.username: user for user in get_user_model().objects.all()}
            files_fetched = set()
            result = {role: crawl(users.get(role), files_fetched=files_fetched) for role in ROLES}
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = eager
    return result


@pytest.mark.parametrize("role", ROLES)
def test_no_reachable_page_answers_a_server_error(crawls, role):
    result = crawls[role]
    errors = result.server_errors()
    assert not errors, f"{len(errors)} pages answered 5xx for {role}:\n" + "\n".join(
        str(page) for page in errors
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_crawl_reaches_the_pages_of_the_role(crawls, role):
    """A crawl that stops at the login page, or at its bound, would prove nothing."""
    result = crawls[role]
    assert not result.reached_bound
    minimum = 3 if role == "anonymous" else 30
    assert len(result.html_pages()) >= minimum


@pytest.mark.parametrize("role", ROLES)
def test_every_page_sends_a_strict_content_security_policy(crawls, role):
    """Scripts, styles, fonts and images from our own origin only; nothing inline, no plugins,
    no framing, forms post to ourselves."""
    missing, loose = [], []
    for page in crawls[role].html_pages():
        policy = _directives(page.headers.get("Content-Security-Policy", ""))
        if not policy:
            missing.append(page.url)
        elif any(policy.get(name) != value for name, value in STRICT_POLICY.items()):
            loose.append(f"{page.url}: {page.headers['Content-Security-Policy']}")
    assert not missing, "Pages without a Content-Security-Policy:\n" + "\n".join(missing)
    assert not loose, "Pages with a looser policy:\n" + "\n".join(loose)


STRICT_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def _directives(header):
    policy = {}
    for directive in header.split(";"):
        if directive.strip():
            name, *values = directive.split()
            policy[name] = set(values)
    return policy
