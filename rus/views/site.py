"""The project's own pages: the start page, logging out, the public language link and the
health check."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rus import access
from rus.access import Action
from rus.celery import app as celery_app


@login_required
@require_GET
def home(request):
    access.require(request, Action.READ)
    return render(request, "home.html")


@require_http_methods(["GET", "POST"])
def logout(request):
    """Log out on POST, so that a link or a prefetch cannot do it, and say so.

    GET (a bookmark, a typed address) asks for the click instead of showing an empty 405.
    """
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")
    auth.logout(request)
    messages.info(request, _("Du är utloggad."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_GET
def choose_language(request, language):
    """The public archive's language link: remember `language` in the language cookie (as
    Django's set_language does) and go back to `next` on this site.

    A GET, unlike set_language's POST: the archive's pages carry no CSRF token so that anyone
    may cache them, and choosing a language changes nothing but the visitor's own cookie. A
    link works without JavaScript, and each language's page stays its own cached copy (the
    archive's responses vary on Cookie)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("Okänt språk.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("archive:index")
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker():
    with celery_app.connection_for_write(settings.REDIS_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and the broker, when configured) answer; 503 naming what failed.

    For load balancers and monitoring: no login, no HTML, nothing cached.
    """
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["broker"] = _check_broker
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            results[name] = f"fel: {error.__class__.__name__}"
    failed = [name for name, result in results.items() if result != "ok"]
    return JsonResponse(
        {"status": "fel" if failed else "ok", "failed": failed, "checks": results},
        status=503 if failed else 200,
    )
