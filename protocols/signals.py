"""Signals other parts of the system listen to, so that `protocols` never imports them.

`protocol_adjusted` is sent once, after the transaction that adjusted a protocol (or a
correction of one) has committed, with `protocol=` the adjusted `Protocol`. Receivers: the
protocol PDF (rendered by Celery) and `followups` (one follow-up row per position and
organisation). A receiver must be idempotent: a repeated signal for the same protocol does
nothing new.
"""

from django.dispatch import Signal

protocol_adjusted = Signal()
