"""What of protocols is searched (`search.registry`): each § (title, minutes, outcome, the
consensus position's text weighted B, and the dissents recorded in it).

Rights are `protocols.access`'s: the secretariat and the council's members (the chair among
them) read a protocol from its first draft; everyone else — the RUS group, a presenter, an
anonymous visitor — only what the public archive shows (`public_protocols()`: adjusted, of a
council that publishes; R15). The public part is read from the protocols' own table at each
search, so a protocol adjusted, or a council that starts publishing, is searchable at once
without reindexing.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.access import roles_for
from search import indexing, registry
from search.registry import Document, Kind

from . import access
from .models import Dissent, ProtocolEntry

PARAGRAPH = "paragraph"


def _anchor(entry_pk):
    return f"#dokument-paragraf-{entry_pk}"


def paragraph_documents(pks):
    entries = (
        ProtocolEntry.objects.select_related("protocol__meeting", "council")
        .prefetch_related("dissents")
        .order_by("pk")
    )
    if pks is not None:
        entries = entries.filter(pk__in=pks)
    for entry in entries:
        protocol = entry.protocol
        meeting = protocol.meeting
        day = timezone.localtime(meeting.starts_at).date()
        dissents = [
            f"{dissent.member_name} ({dissent.organisation_name}): {dissent.text}"
            for dissent in entry.dissents.all()
        ]
        outcome = "" if entry.position_text else entry.outcome_text
        yield Document(
            kind=PARAGRAPH,
            object_id=entry.pk,
            title=f"§ {entry.number} {entry.title}" if entry.number else entry.title,
            emphasis=entry.position_text,
            body="\n\n".join(
                part for part in [entry.minutes, outcome, *dissents, entry.rus_link_label] if part
            ),
            url=reverse("protocols:draft", args=[meeting.pk]) + _anchor(entry.pk),
            public_url=reverse("archive:protocol", args=[protocol.pk]) + _anchor(entry.pk),
            context=f"{entry.council.name} · {meeting.title} {day:%Y-%m-%d}",
            council_id=entry.council_id,
            meeting_id=meeting.pk,
            protocol_id=protocol.pk,
            focus_area_id=entry.focus_area_id,
            year=entry.year,
            date=day,
        )


def reads_every_draft(roles):
    return roles.is_secretariat


def visible_paragraphs(user):
    """Action.READ of protocols.access (secretariat, the council's members), or public."""
    roles = roles_for(user)
    if reads_every_draft(roles):
        return Q()
    # Read first, as a list (a few hundred ids over many years): an IN-list of integers keeps
    # the search's plan on its GIN index (search.selectors._index_scans_only).
    public = Q(protocol_id__in=list(access.public_protocols().values_list("pk", flat=True)))
    if roles.council_ids:
        return Q(council_id__in=roles.council_ids) | public
    return public


def paragraph_link(user, row):
    """The protocol's own page for its readers, the public archive for everyone else."""
    roles = roles_for(user)
    if reads_every_draft(roles) or row.council_id in roles.council_ids:
        return row.url
    return row.public_url


def _entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(PARAGRAPH, instance.pk)


def _entry_deleted(sender, instance, **kwargs):
    indexing.schedule_removal(PARAGRAPH, instance.pk)


def _dissent_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(PARAGRAPH, instance.entry_id)


def register():
    """Called from ProtocolsConfig.ready()."""
    registry.register(
        Kind(
            PARAGRAPH,
            _("Protokollsparagrafer"),
            _("Protokollsparagraf"),
            paragraph_documents,
            visible_paragraphs,
            link=paragraph_link,
            order=30,
        )
    )
    uid = "search.protocols"
    post_save.connect(_entry_saved, sender=ProtocolEntry, dispatch_uid=f"{uid}.entry")
    post_delete.connect(_entry_deleted, sender=ProtocolEntry, dispatch_uid=f"{uid}.entry-")
    post_save.connect(_dissent_changed, sender=Dissent, dispatch_uid=f"{uid}.dissent")
    post_delete.connect(_dissent_changed, sender=Dissent, dispatch_uid=f"{uid}.dissent-")
