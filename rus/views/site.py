"""The project's own pages: the start page, logging out and the health check."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
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
