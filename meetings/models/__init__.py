"""Meetings, agendas, item proposals, reviews, invitations (one module per topic)."""

from .agenda import AgendaItem
from .attachments import Attachment, AttachmentVersion
from .invitations import CalendarFeed, Invitation, InvitationMessage, Mailing
from .meeting import Meeting
from .proposals import ItemProposal, ProposalAttachment
from .review import ItemQuestion, ItemReview

__all__ = [
    "AgendaItem",
    "Attachment",
    "AttachmentVersion",
    "Meeting",
    "ItemProposal",
    "ProposalAttachment",
    "ItemQuestion",
    "ItemReview",
    "CalendarFeed",
    "Invitation",
    "InvitationMessage",
    "Mailing",
]
