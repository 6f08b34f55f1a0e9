"""Every view is covered by the access matrix (tests/access_matrix.py): the test walks the URL
conf, every URL name of every namespace must be in the matrix (or its namespace exempt), and for
each the role that may open it gets 200 or a redirect that is not the login page, while the role
that may not gets its 403 or 404, or, anonymous, the login page.

A new app (protocols, follow-ups, search, OParl…) adds a table for its URLs to
tests/access_matrix.py, as its docstring explains; until then this test fails and names them.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import EXEMPT_NAMESPACES, World, matrix

MATRIX = matrix()


def url_names(patterns=None, namespace=""):
    """Every named URL of the project as "namespace:name" (or "name" outside a namespace)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_name_is_in_the_matrix():
    names = {
        name
        for name in url_names()
        if name.split(":")[0] not in EXEMPT_NAMESPACES or ":" not in name
    }
    missing = sorted(names - MATRIX.keys())
    assert not missing, f"Add these URL names to tests/access_matrix.py: {missing}"
    unknown = sorted(MATRIX.keys() - names)
    assert not unknown, f"These URL names in tests/access_matrix.py no longer exist: {unknown}"


def test_every_view_has_an_allowed_and_a_refused_role():
    for name, case in MATRIX.items():
        assert case.may, name
        assert case.public or case.may_not, name


def _call(client, case, url, data=None):
    send = client.post if case.method == "POST" else client.get
    if case.method == "POST":
        return send(url, data or {}, **case.headers)
    return send(url, **case.headers)


def _login(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client, name):
    case = MATRIX[name]
    world = World()
    args = case.args(world) if case.args else []
    url = reverse(name, args=args)

    if case.may_not:
        who, expected = case.may_not
        if case.public:  # a bad key instead of a role
            _login(client, world, "anonymous")
            response = _call(client, case, reverse(name, args=who))
        else:
            _login(client, world, who)
            response = _call(client, case, url)
        if expected == "login":
            assert response.status_code == 302, (name, who, response.status_code)
            assert response.url.startswith(reverse("login")), (name, who, response.url)
        else:
            assert response.status_code == expected, (name, who, response.status_code)

    _login(client, world, case.may)
    data = case.data(world) if case.data else None
    response = _call(client, case, url, data)
    assert response.status_code in case.allowed_statuses, (name, case.may, response.status_code)
    if response.status_code == 302 and case.may != "anonymous":
        assert not response.url.startswith(reverse("login")), (name, case.may, response.url)
