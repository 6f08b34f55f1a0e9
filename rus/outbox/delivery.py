"""Delivering one mail row exactly once, for every kind of row (see the package docstring).

A kind of row plugs in through a `Courier`: how its row is found and locked, whether it was
withdrawn, how its message is built, what else is recorded once it is sent. `deliver` does the
rest, the same for every mail: claim, send, record, and decide about a retry.
"""

import dataclasses
import datetime
import logging
import random
import zlib

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import smtp
from .failures import DELIVERY_ERRORS, FailureKind, classify, describe, is_permanent
from .models import DeliveryStatus, new_message_id

logger = logging.getLogger(__name__)

UNCERTAIN_ERROR = "Worker stopped twice while sending; the message may have been delivered."


@dataclasses.dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "retry" or "failed"
    error: Exception | None = None
    countdown: float | None = None

    @property
    def should_retry(self):
        return self.status == "retry"


class Courier:
    """One kind of mail row. Subclasses find and lock the row (`lock`, inside a transaction)
    and build its message (`build`); `withdrawn`, `sent_fields` and `sent` are optional.

    `sent_fields(row)`: more fields of the row itself to set when it is sent, in the same
    UPDATE; `sent(row)`: anything else to record, for which the UPDATE runs in a transaction
    when `records_more_when_sent` is true (the default: off only where `sent` does nothing)."""

    records_more_when_sent = True

    def lock(self):
        raise NotImplementedError

    def withdrawn(self, row):
        return False

    def build(self, row):
        raise NotImplementedError

    def sent_fields(self, row):
        return {}

    def sent(self, row):
        pass


# --- Who is sending a row right now -----------------------------------------------------------


class SenderLock:
    """Held by the worker that sends a row, from its claim until it is recorded.

    On PostgreSQL a session-level advisory lock: the database releases it when the worker's
    connection dies, so a row "sending" whose lock is free was left by a dead worker. Elsewhere
    (SQLite, a first local run) a row is taken as abandoned once it has been "sending" longer
    than the task's hard time limit.
    """

    def __init__(self, row):
        self.row = row
        self.key = (zlib.crc32(row._meta.db_table.encode()) & 0x7FFFFFFF, row.pk & 0x7FFFFFFF)
        self.held = False

    @staticmethod
    def _advisory():
        return connection.vendor == "postgresql"

    def acquire(self):
        if not self._advisory():
            self.held = True
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", self.key)
            self.held = bool(cursor.fetchone()[0])
        return self.held

    def release(self):
        if not self.held:
            return
        self.held = False
        if not self._advisory():
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)
        except DatabaseError:  # the connection is gone, and the lock with it
            logger.warning("Could not release the sender lock of %s", self.row, exc_info=True)

    def abandoned(self, *, now=None):
        """The row is "sending", and nobody is: its worker died (or lost its database)."""
        if self._advisory():
            return self.held
        limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        since = self.row.sending_since
        return since is None or since <= (now or timezone.now()) - limit


def sender_gone(row):
    """For the sweep: is a "sending" row abandoned by its worker?"""
    lock = SenderLock(row)
    try:
        lock.acquire()
        return lock.abandoned()
    finally:
        lock.release()


# --- Retry policy -----------------------------------------------------------------------------


def retry_countdown(failed_attempts):
    """Seconds before the next try: 2, 4, 8 … (MAIL_RETRY_BACKOFF_SECONDS doubling), each up to
    half again at random so that a burst of failures does not retry in step, capped at
    MAIL_RETRY_BACKOFF_MAX_SECONDS."""
    base = settings.MAIL_RETRY_BACKOFF_SECONDS * 2 ** max(failed_attempts - 1, 0)
    return min(base * random.uniform(1.0, 1.5), settings.MAIL_RETRY_BACKOFF_MAX_SECONDS)


# --- One delivery -----------------------------------------------------------------------------


def deliver(courier, *, connection_=None):
    """Deliver the courier's row once: claim it (committed), send it, record the outcome.

    Returns an `Outcome`; for "retry" the row is queued again with `enqueued_at` at the time
    the retry is due, and the caller publishes it with `outcome.countdown`.
    """
    claimed = _claim(courier)
    if isinstance(claimed, Outcome):
        return claimed
    row, lock = claimed
    return deliver_claimed(courier, row, lock, connection_=connection_)


def deliver_claimed(courier, row, lock, *, connection_=None, release=True):
    """Send a row claimed ("sending" committed, `lock` held) and record the outcome. With
    `release=False` the caller releases the lock (`release_all`, once for a batch)."""
    try:
        try:
            message = courier.build(row)
            message.extra_headers["Message-ID"] = row.message_id
            if connection_ is None:
                smtp.send(message)  # this process's reused connection
            else:
                message.connection = connection_
                message.send()
        except DELIVERY_ERRORS as error:
            final = is_permanent(error) or row.attempts >= settings.MAIL_MAX_RETRIES
            countdown = None if final else retry_countdown(row.attempts + 1)
            _record_failure(row, error, countdown=countdown)
            return Outcome("failed" if final else "retry", error, countdown)
        except Exception as error:  # a fault in rendering will not heal by retrying: show it
            logger.exception("Could not build mail %s", row)
            _record_failure(row, error, countdown=None)
            return Outcome("failed", error)
        _record_sent(courier, row)
        return Outcome("sent")
    finally:
        if release:
            lock.release()


def release_all(locks):
    """Release several sender locks in one query (a batch's, once its rows are recorded)."""
    held = [lock for lock in locks if lock.held]
    if not held:
        return
    for lock in held:
        lock.held = False
    if not SenderLock._advisory():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["pg_advisory_unlock(%s, %s)"] * len(held)),
                [number for lock in held for number in lock.key],
            )
    except DatabaseError:  # the connection is gone, and the locks with it
        logger.warning("Could not release %d sender locks", len(held), exc_info=True)


def _record_sent(courier, row):
    """One UPDATE (the row is ours while we hold its sender lock: nobody else changes a row
    that is "sending"), in a transaction with the courier's other records if it has any."""
    row.attempts += 1
    row.status = DeliveryStatus.SENT
    row.sent_at = timezone.now()
    row.sending_since = None
    row.last_error = ""
    row.failure_kind = ""
    fields = {
        "attempts": row.attempts,
        "status": row.status,
        "sent_at": row.sent_at,
        "sending_since": None,
        "last_error": "",
        "failure_kind": "",
        **courier.sent_fields(row),
    }
    if not courier.records_more_when_sent:
        _update_row(row, fields)
        return
    with transaction.atomic():
        _update_row(row, fields)
        courier.sent(row)


def _update_row(row, fields):
    """`UPDATE … SET fields WHERE pk`, written as SQL: the ORM's `update()` spent longer
    building the statement than the database running it (a fifth of a message's CPU time in
    a batch of invitations)."""
    meta = row._meta
    quote = connection.ops.quote_name
    assignments, values = [], []
    for name, value in fields.items():
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        values.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
            f"WHERE {quote(meta.pk.column)} = %s",
            [*values, row.pk],
        )


def claim_queued(rows):
    """Claim rows that are queued and locked (FOR UPDATE, in the caller's transaction) the way
    `_claim` claims one, for a batch: their sender locks in one query, "sending" with their
    Message-IDs in one UPDATE. Returns [(row, lock)]; a row whose sender lock another worker
    holds is left out (the caller's per-row path sees to it)."""
    rows = [row for row in rows if row.status == DeliveryStatus.QUEUED]
    if not rows:
        return []
    locks = [SenderLock(row) for row in rows]
    if SenderLock._advisory():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["pg_try_advisory_lock(%s, %s)"] * len(locks)),
                [number for lock in locks for number in lock.key],
            )
            taken = cursor.fetchone()
    else:
        taken = [True] * len(locks)
    claimed = []
    for row, lock, held in zip(rows, locks, taken, strict=True):
        lock.held = bool(held)
        if lock.held:
            claimed.append((row, lock))
    now = timezone.now()
    try:
        for row, _lock in claimed:
            if not row.message_id:
                row.message_id = new_message_id()
            row.status = DeliveryStatus.SENDING
            row.sending_since = now
        if claimed:
            _mark_sending([row for row, _lock in claimed], now)
    except BaseException:
        for _row, lock in claimed:
            lock.release()
        raise
    return claimed


def _mark_sending(rows, now):
    """Write "sending", the moment and each row's Message-ID: on PostgreSQL one UPDATE joined
    to the rows' ids and Message-IDs as arrays, elsewhere one statement per row (a
    bulk_update's CASE expressions took longer to build than the statements to run)."""
    meta = rows[0]._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    status, since, message_id = (
        quote(meta.get_field(name).column) for name in ("status", "sending_since", "message_id")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET {status} = %s, {since} = %s, "
                f"{message_id} = claimed.message_id "
                f"FROM unnest(%s::bigint[], %s::text[]) AS claimed(id, message_id) "
                f"WHERE {table}.{pk} = claimed.id",
                [
                    DeliveryStatus.SENDING,
                    now,
                    [row.pk for row in rows],
                    [row.message_id for row in rows],
                ],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {status} = %s, {since} = %s, {message_id} = %s "
                f"WHERE {pk} = %s",
                [(DeliveryStatus.SENDING, now, row.message_id, row.pk) for row in rows],
            )


def _claim(courier):
    """Lock the row and mark it "sending" in a committed step of its own; returns (row, lock)
    with the sender lock held, or the Outcome when there is nothing to send."""
    with transaction.atomic():
        row = courier.lock()
        if row is None or row.status not in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
            return Outcome("skipped")
        lock = SenderLock(row)
        if not lock.acquire():
            return Outcome("skipped")  # another worker is sending it at this moment
        try:
            if row.status == DeliveryStatus.SENDING:
                if not lock.abandoned():
                    lock.release()
                    return Outcome("skipped")
                if row.resent_uncertain:
                    # Sent once more after a crash, and that crashed too: never a third time.
                    _fail(row, UNCERTAIN_ERROR, FailureKind.UNCERTAIN)
                    lock.release()
                    return Outcome("failed")
                row.resent_uncertain = True
            if courier.withdrawn(row):
                row.status = DeliveryStatus.WITHDRAWN
                row.sending_since = None
                row.save(update_fields=["status", "sending_since"])
                lock.release()
                return Outcome("skipped")
            if not row.message_id:
                row.message_id = new_message_id()
            row.status = DeliveryStatus.SENDING
            row.sending_since = timezone.now()
            row.save(update_fields=["status", "sending_since", "message_id", "resent_uncertain"])
        except BaseException:
            lock.release()
            raise
    return row, lock


def _fail(row, error, kind):
    row.attempts += 1
    row.status = DeliveryStatus.FAILED
    row.last_error = describe(error)
    row.failure_kind = kind
    row.sending_since = None
    row.save(update_fields=["attempts", "status", "last_error", "failure_kind", "sending_since"])


def _record_failure(row, error, *, countdown):
    """One attempt failed: queued again for a retry in `countdown` seconds, or failed (None)."""
    with transaction.atomic():
        row = type(row).objects.select_for_update().get(pk=row.pk)
        if row.status != DeliveryStatus.SENDING:
            return
        if countdown is None:
            _fail(row, error, classify(error))
            return
        row.attempts += 1
        row.status = DeliveryStatus.QUEUED
        row.last_error = describe(error)
        row.failure_kind = classify(error)
        row.sending_since = None
        row.enqueued_at = timezone.now() + datetime.timedelta(seconds=countdown)
        row.save(
            update_fields=[
                "attempts",
                "status",
                "last_error",
                "failure_kind",
                "sending_since",
                "enqueued_at",
            ]
        )


# --- Publishing and sweeping ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Publication:
    """A task to publish for one row once the transaction commits; a task that delivers a
    batch names all its rows in `batch` ((model, pk) pairs, the first being `model`, `pk`)."""

    model: type
    pk: int
    task: object
    args: tuple
    batch: tuple = ()

    @property
    def rows(self):
        return self.batch or ((self.model, self.pk),)


def _mark_enqueued(publications, moment):
    """Bookkeeping for the sweep; a failure here must not fail the action (logged only)."""
    try:
        by_model = {}
        for publication in publications:
            for model, pk in publication.rows:
                by_model.setdefault(model, []).append(pk)
        for model, ids in by_model.items():
            for start in range(0, len(ids), 500):
                model.objects.filter(
                    pk__in=ids[start : start + 500], status=DeliveryStatus.QUEUED
                ).update(enqueued_at=moment)
    except DatabaseError:
        logger.warning("Could not record enqueued_at for mail deliveries", exc_info=True)


def publish_on_commit(publications):
    """Publish each row's task after commit.

    The rows are marked as published first (before any worker can touch them). A broker that
    is down must not fail the action: the rows left unpublished get `enqueued_at` cleared and
    wait, queued, for the periodic sweep to publish them when the broker is back.
    """
    publications = list(publications)
    if not publications:
        return

    def publish():
        _mark_enqueued(publications, timezone.now())
        for index, publication in enumerate(publications):
            try:
                publication.task.apply_async(publication.args)
            except Exception:  # kombu raises OperationalError, or the socket error itself
                unpublished = publications[index:]
                logger.warning(
                    "Broker unavailable: %d mail deliveries wait for the sweep",
                    len(unpublished),
                    exc_info=True,
                )
                _mark_enqueued(unpublished, None)
                return

    transaction.on_commit(publish)


def publish_retry(task, args, countdown):
    """Publish a retry; with the broker down the row waits for the sweep (it is queued with
    `enqueued_at` at the due time, so the sweep finds it stale later)."""
    try:
        task.apply_async(args, countdown=countdown)
    except Exception:
        logger.warning("Broker unavailable: a mail retry waits for the sweep", exc_info=True)


def stale_rows(queryset, *, now=None):
    """The rows of `queryset` whose delivery task was lost: queued and never published (the
    broker was down) after MAIL_SWEEP_AFTER_SECONDS, published but not run after
    MAIL_SWEEP_STALE_SECONDS (the task message was lost with a worker), or "sending" with no
    worker sending them."""
    now = now or timezone.now()
    waiting_since = now - datetime.timedelta(seconds=settings.MAIL_SWEEP_AFTER_SECONDS)
    stale_since = now - datetime.timedelta(seconds=settings.MAIL_SWEEP_STALE_SECONDS)
    waiting = Q(status=DeliveryStatus.QUEUED) & (
        Q(enqueued_at__isnull=True, created_at__lte=waiting_since) | Q(enqueued_at__lte=stale_since)
    )
    rows = list(queryset.filter(waiting | Q(status=DeliveryStatus.SENDING)))
    return [row for row in rows if row.status == DeliveryStatus.QUEUED or sender_gone(row)]
