"""Rendered page fragments kept in Django's cache (docs/architecture.md, "Page fragments").

A fragment's key is a checksum of everything the fragment shows: the versions of the rows it
shows, the reader's rights, the language and time zone it is written in. A change to any of
them is a new key, so nothing is ever invalidated by hand and a stale fragment cannot be
served; an unused key simply expires (settings.CACHES).

A fragment holding forms is cached without its CSRF token: it is rendered with a placeholder
(derived from SECRET_KEY, so every web process agrees on it and no user can type it), which
each request replaces with its own token.
"""

import hashlib
import json
from functools import cache as memoize

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe


def fragment_key(name, *parts):
    """The cache key of fragment `name` showing `parts` (JSON-able values; dates and other
    objects by their text) in the active language and time zone."""
    state = [translation.get_language(), timezone.get_current_timezone_name(), *parts]
    payload = json.dumps(state, default=str, separators=(",", ":"))
    return f"fragment:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"


@memoize
def csrf_placeholder():
    return "csrf-" + salted_hmac("rus.fragments.csrf", "placeholder").hexdigest()


def render_fragment(request, template_name, *, name, parts, context):
    """`template_name` rendered with `context()` (called only when the fragment is not cached
    yet), from the cache when it is, with this request's CSRF token in its forms."""
    return render_fragments(request, template_name, name=name, rows=[(parts, context)])[0]


def render_fragments(request, template_name, *, name, rows):
    """Many fragments of one template (a list's rows) in one round trip to the cache: `rows`
    is a list of (parts, context) pairs as for `render_fragment`; their HTML in order."""
    keys = [fragment_key(name, *parts) for parts, _ in rows]
    found = cache.get_many(keys)
    rendered = {}
    fragments = []
    for key, (_, context) in zip(keys, rows, strict=True):
        html = found.get(key) or rendered.get(key)
        if html is None:
            html = render_to_string(
                template_name, {**context(), "csrf_token": csrf_placeholder()}, request
            )
            rendered[key] = html
        fragments.append(html)
    if rendered:
        cache.set_many(rendered)
    placeholder = csrf_placeholder()
    if any(placeholder in html for html in fragments):
        token = get_token(request)
        fragments = [html.replace(placeholder, token) for html in fragments]
    return [mark_safe(html) for html in fragments]  # noqa: S308 - escaped by the templates


def clear_cache():
    """Forget every cached fragment: only this project's keys (KEY_PREFIX) when the cache is
    the Redis database Celery's broker uses too."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        keys = list(client.scan_iter(match=backend.make_key("*"), count=1000))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()
