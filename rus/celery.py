"""The Celery application. Settings are the CELERY_* names in rus/settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rus.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
