from functools import wraps

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation


class ChosenLanguageMiddleware:
    """Swedish unless the user chose English with the language switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the product
    speaks Swedish to everyone by default, and English is the user's explicit choice (stored in
    the language cookie by django.views.i18n.set_language).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Scoped to the request: the thread (a worker, or the test runner) keeps no language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CompressingMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (HTML, JSON and text to browsers that accept gzip), except for
    responses of views marked `@never_compress`.

    BREACH: a compressed response's length can reveal a secret in it to an attacker who can
    also put text of their own into it and watch the lengths. Django masks the CSRF token
    afresh for every response and, since 4.2, pads every gzip response by a random 0–99 bytes
    (GZipMiddleware.max_random_bytes, "Heal the Breach"). A page that shows a lasting secret
    (a reply link's token, a calendar feed's address) beside text from the request is still
    sent uncompressed: those views are marked.
    """

    def process_response(self, request, response):
        if getattr(response, "never_compress", False):
            return response
        return super().process_response(request, response)


def never_compress(view):
    """Send this view's responses uncompressed: they show a lasting secret (BREACH)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.never_compress = True
        return response

    return wrapper
