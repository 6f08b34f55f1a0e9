"""Workflows of the protocol (R8, R10, R11): open it, minute the entries, keep the attendance,
record outcomes and dissents. One module per topic; the names every caller uses are here.

Every function takes keyword arguments only and runs in one transaction. The rules are enforced
here, whoever calls (view, admin, shell); the views check who may call (protocols/access.py).
A protocol that is no longer a draft changes no more.
"""

from .attendance import add_attendee, paragraph_range, update_attendance
from .common import refuse_unless_editable, revises
from .dissents import edit_dissent, record_dissent, remove_dissent, withdraw_expected_dissent
from .entries import (
    add_entry,
    elect_adjusters,
    representation,
    restore_entry,
    return_to_rus_group,
    save_entry,
    set_home_decisions,
    strike_entry,
)
from .justering import (
    answer_comment,
    approve,
    comment,
    note_revision,
    paper_signatories,
    record_paper_signature,
    send_for_adjustment,
    send_reminders,
    sending_problems,
    start_correction,
)
from .opening import may_open, open_protocol

__all__ = [
    "answer_comment",
    "approve",
    "comment",
    "note_revision",
    "paper_signatories",
    "record_paper_signature",
    "send_for_adjustment",
    "send_reminders",
    "sending_problems",
    "start_correction",
    "add_attendee",
    "add_entry",
    "edit_dissent",
    "elect_adjusters",
    "may_open",
    "open_protocol",
    "paragraph_range",
    "record_dissent",
    "refuse_unless_editable",
    "revises",
    "remove_dissent",
    "representation",
    "restore_entry",
    "return_to_rus_group",
    "save_entry",
    "set_home_decisions",
    "strike_entry",
    "update_attendance",
    "withdraw_expected_dissent",
]
