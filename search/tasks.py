"""Celery tasks of the search index."""

from celery import shared_task
from django.db import transaction

from . import extraction


@shared_task(bind=True, ignore_result=True, max_retries=3, default_retry_delay=5)
def extract_file_text(self, source_name, pk):
    """Extract one file's text and refresh its search document; safe to run twice."""
    try:
        extraction.extract_file(source_name, pk)
    except OSError as error:  # storage briefly unavailable
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


def schedule_extraction(source_name, pk):
    """Publish the extraction when the transaction that stored the file commits."""
    transaction.on_commit(lambda: extract_file_text.delay(source_name, pk), robust=True)
