"""Demo data for the kallelse med handlingar (meetings/documents.py): the approved agenda's
current version is asked for, so its combined PDF renders in Celery when `seed_demo`'s
transaction commits (as the meeting page would ask for it). Idempotent: asking again for an
unchanged agenda is the same row."""

from . import documents


def seed(meeting):
    if meeting is None or not documents.is_offered(meeting):
        return None
    return documents.request_kallelse(meeting)
