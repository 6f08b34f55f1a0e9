"""The public coverage report in the archive (R15), under /arkiv/rus-rapport/: no login
(followups/views_public.py)."""

from django.urls import path

from . import views_public

app_name = "archive_report"

urlpatterns = [
    path("", views_public.coverage_report, name="report"),
    path("export/", views_public.coverage_report_export, name="export"),
]
