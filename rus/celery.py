"""The Celery application. Settings are the CELERY_* names in rus/settings.py."""

import logging
import os

from celery import Celery
from celery.signals import worker_init
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rus.settings")

logger = logging.getLogger(__name__)


class BrokerOutageConsumer(Consumer):
    """The worker's consumer, surviving the loss of Redis while a task is unacknowledged.

    Celery 5.7.0 closes the lost connection after collecting it; closing the channel then
    tries to put the unacknowledged messages back through the connection's client, which
    collecting has cleared, and the worker exits with "Unrecoverable error: AttributeError:
    'NoneType' object has no attribute 'hostname'" instead of reconnecting. Here that close
    is allowed to fail: the messages stay in Redis's unacknowledged set, which hands them out
    again after the visibility timeout, and the outbox's sweep publishes their mail sooner
    (a message run twice is sent once). Celery 5.6 did not close the connection here.
    """

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_lost_connection():
                try:
                    close()
                except AttributeError:
                    logger.warning(
                        "Broker connection lost with unacknowledged messages; Redis restores "
                        "them after the visibility timeout."
                    )

            connection.close = close_lost_connection
        super().on_connection_error_after_connected(exc)


app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def warm_up(**kwargs):
    """Load, in the worker's main process before it forks its pool, what each pool process
    would otherwise load for its first task: the URLconf (every mail has links, and the first
    `reverse()` imported every view: 0.3 s of CPU per process), the mail templates and the
    mail language's translations. The processes share them from the fork; a restarted pool
    process starts warm too."""
    from django.conf import settings
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 (imports every app's URLs and indexes them)
    for _namespace, (_prefix, namespace_resolver) in resolver.namespace_dict.items():
        namespace_resolver.reverse_dict  # noqa: B018
    translation.activate(settings.LANGUAGE_CODE)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted((directory / "emails").glob("*.*")):
            try:
                get_template(f"emails/{path.name}")
            except TemplateDoesNotExist:  # pragma: no cover (listed a moment ago)
                continue
    translation.deactivate()
