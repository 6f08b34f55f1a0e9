"""Follow the links a user can reach from the start page, with Django's test client.

Same site only, GET only, breadth first. Links are read from `href` and `hx-get` in HTML pages;
redirects are followed. Files (PDFs, spreadsheets, calendars, documents) are fetched but not
read, and one download of each kind is enough for all users of a crawl. Bounds keep a crawl
short however the data grows: a few pages of each view, spread over the list that links to
them (the fifth person's page runs the same code as the first), one of each admin view, and at
most `max_pages` pages in all.
"""

import sys
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.core.signals import got_request_exception, request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve

# Links whose GET signs out, leaves the application's pages or changes the language.
SKIPPED_PREFIXES = ("/konto/logga-ut/", "/admin/logout/", "/static/", "/i18n/", "/sprak/")
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    headers: dict
    referrer: str
    error: str = ""

    def __str__(self):
        text = f"{self.url} → {self.status}"
        if self.error:
            text += f" ({self.error})"
        return f"{text}, linked from {self.referrer or 'the start'}"


@dataclass
class Crawl:
    pages: dict = field(default_factory=dict)  # url -> Page
    reached_bound: bool = False

    def server_errors(self):
        return [page for page in self.pages.values() if page.status >= 500]

    def html_pages(self):
        return [p for p in self.pages.values() if p.content_type.startswith("text/html")]


def crawl(
    user=None, *, start="/", per_view=3, max_pages=450, files_fetched=None, language=None, read=None
):
    """The pages reachable from `start` for `user` (None: anonymous), each fetched once.

    `files_fetched`: views already fetched as a file in an earlier crawl (shared between the
    crawls of one data set, so each kind of download is fetched once). `language`: the
    interface language the user has chosen with the language switcher (its cookie). `read`:
    called with (url, html) for every HTML page that answers 200.
    """
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    files_fetched = set() if files_fetched is None else files_fetched
    errors = {}

    def remember_error(sender, request, **kwargs):
        error = sys.exc_info()[1]
        errors[request.get_full_path()] = f"{type(error).__name__}: {error}"

    result = Crawl()
    queued_per_view = Counter()
    queue = deque([(start, "")])
    seen = {start}
    got_request_exception.connect(remember_error)
    try:
        while queue:
            if len(result.pages) >= max_pages:
                result.reached_bound = True
                break
            url, referrer = queue.popleft()
            response = client.get(url)
            content_type = response.get("Content-Type", "")
            result.pages[url] = Page(
                url=url,
                status=response.status_code,
                content_type=content_type,
                headers=dict(response.headers),
                referrer=referrer,
                error=errors.get(url, ""),
            )
            if response.status_code in REDIRECTS:
                targets = [response["Location"]]
            elif content_type.startswith("text/html") and not response.streaming:
                html = response.content.decode()
                targets = _links(html, url)
                if read is not None and response.status_code == 200:
                    read(url, html)
            else:
                targets = []
                if response.status_code == 200:
                    files_fetched.add(_view_name(url))
            if response.streaming:
                _close_without_reading(response)
            new_links = defaultdict(list)  # view -> paths, in page order
            for target in targets:
                target = _same_site_path(url, target)
                if target is None or target in seen or not _worth_following(target):
                    continue
                seen.add(target)
                new_links[_view_name(target)].append(target)
            for view, paths in new_links.items():
                bound = 1 if view.startswith("admin:") else per_view
                if view in files_fetched:
                    continue
                for path in _spread(paths, bound - queued_per_view[view]):
                    queued_per_view[view] += 1
                    queue.append((path, url))
    finally:
        got_request_exception.disconnect(remember_error)
    return result


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])


def _links(html, base_url):
    parser = _LinkParser()
    parser.feed(html)
    return parser.links


def _same_site_path(base_url, link):
    url, _ = urldefrag(urljoin(base_url, link))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _worth_following(path):
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
        return False
    # The admin's sorted and filtered lists are the same page many times over.
    return not (path.startswith("/admin/") and "?" in path)


def _spread(paths, count):
    """`count` of the paths, first and last included: a list's first item (on an agenda, a
    standing item) is often unlike the ones in its middle."""
    if count <= 0:
        return []
    if len(paths) <= count:
        return paths
    if count == 1:
        return paths[:1]
    return [paths[round(i * (len(paths) - 1) / (count - 1))] for i in range(count)]


def _view_name(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


def _close_without_reading(response):
    """Close a file unread, as the test client does: without closing the test's database
    connection (request_finished would)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
