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
    key = fragment_key(name, *parts)
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            template_name, {**context(), "csrf_token": csrf_placeholder()}, request
        )
        cache.set(key, html)
    if csrf_placeholder() in html:
        html = html.replace(csrf_placeholder(), get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


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
