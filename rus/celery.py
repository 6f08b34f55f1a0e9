"""The Celery application. Settings are the CELERY_* names in rus/settings.py."""

import logging
import os

from celery import Celery
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
