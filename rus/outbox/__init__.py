"""The outbox: every outgoing mail is a database row before it is a message.

One path for all mail, invitations and notices alike:

1. The action that causes a mail writes its row (queued) in its own transaction; nothing is
   sent for a change that was rolled back, nothing is lost when the broker is down.
2. When that transaction commits, a Celery task is published for the row (`publish_on_commit`).
3. The task (`delivery.deliver`) claims the row: it marks it "sending" in a committed step of
   its own, gives it a Message-ID once (stored, reused by every later attempt), then talks SMTP
   and marks the row sent.
4. A temporary failure (SMTP 4xx, the server unreachable, a timeout) puts the row back in the
   queue and is retried with randomised exponential backoff from 2 s; a permanent refusal
   (SMTP 5xx) fails the row at once. A failed row shows why, in Swedish, and can be resent.
5. Celery beat sweeps rows whose task was lost (`stale_rows`): never published, published but
   never run, or left "sending" by a worker that died. A row found "sending" after a crash is
   uncertain (the message may have left): it is sent once more with the same Message-ID, so
   the recipient's server can tell it is the same message, and never again after that.

Modules: `models` (the abstract delivery state and `OutgoingMail`, the notices' rows),
`failures` (Swedish explanations of SMTP and network errors), `delivery` (claim, send, record,
retry policy, sweep), `notices` (`queue_mail` and the notices' task).
"""
