"""Meetings, agendas, item proposals, reviews, invitations (one module per topic)."""

from .agenda import AgendaItem
from .meeting import Meeting

__all__ = ["AgendaItem", "Meeting"]
