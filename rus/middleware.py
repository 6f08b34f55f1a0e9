from django.conf import settings
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
