from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rus.celery import app as celery_app


@require_GET
@login_required
def home(request):
    return render(request, "home.html")


@require_GET
def healthz(request):
    """200 when the database (and the broker, when configured) answer; 503 naming what failed."""
    from django.conf import settings

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        checks["database"] = f"fel: {error.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["broker"] = f"fel: {error.__class__.__name__}"
    failed = [name for name, result in checks.items() if result != "ok"]
    status = 503 if failed else 200
    return JsonResponse(
        {"status": "fel" if failed else "ok", "failed": failed, "checks": checks}, status=status
    )
