"""What of meetings is searched (`search.registry`): meetings, agenda items, item proposals and
attachments (with their files' text). One selector per kind reads meetings' own tables; the
rights are `meetings.access`'s (docs/roles.md): a member finds their councils' meetings and
items, a presenter their own items and the attachments to them, the RUS group and the
secretariat everything; anonymous visitors nothing of this (it is not in the public archive).

The index follows every write through the receivers connected in `register()`: the work is
done when the transaction commits (`search.indexing.schedule`).
"""

from pathlib import PurePath

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.access import roles_for
from search import extraction, indexing, registry
from search.registry import NOTHING, Document, FileSource, Kind, OpenedFile
from search.tasks import schedule_extraction

from . import access
from .models import AgendaItem, Attachment, AttachmentVersion, ItemProposal, Meeting

MEETING, ITEM, PROPOSAL, ATTACHMENT = "meeting", "item", "proposal", "attachment"
ATTACHMENT_FILE = "attachment_version"


def _local_date(moment):
    return timezone.localtime(moment).date()


# The RUS link (R12 b) is searched with the item: "finansiering" finds the items of the focus
# area Strategisk finansiering.
RUS_LINKS = ("focus_area", "influence_issue", "target_area")


def _rus_link(matter):
    link = matter.rus_link
    return str(link) if link is not None else ""


def _join(*parts):
    return "\n\n".join(part for part in parts if part)


# --- Selectors: plain documents from meetings' tables ------------------------------------------


def meeting_documents(pks):
    meetings = Meeting.objects.select_related("council").order_by("pk")
    if pks is not None:
        meetings = meetings.filter(pk__in=pks)
    for meeting in meetings:
        day = _local_date(meeting.starts_at)
        yield Document(
            kind=MEETING,
            object_id=meeting.pk,
            title=meeting.title,
            body=meeting.place,
            url=reverse("meetings:meeting_detail", args=[meeting.pk]),
            context=meeting.council.name,
            council_id=meeting.council_id,
            meeting_id=meeting.pk,
            year=day.year,
            date=day,
        )


def item_documents(pks):
    items = AgendaItem.objects.select_related("meeting__council", *RUS_LINKS).order_by("pk")
    if pks is not None:
        items = items.filter(pk__in=pks)
    for item in items:
        meeting = item.meeting
        day = _local_date(meeting.starts_at)
        yield Document(
            kind=ITEM,
            object_id=item.pk,
            title=item.title,
            body=_join(item.background, item.questions, _rus_link(item)),
            url=reverse("meetings:item_detail", args=[meeting.pk, item.pk]),
            context=f"{meeting.council.name} · {meeting.title} {day:%Y-%m-%d}",
            council_id=meeting.council_id,
            meeting_id=meeting.pk,
            presenter_id=item.presenter_id,
            focus_area_id=item.focus_area_id,
            year=day.year,
            date=day,
        )


def proposal_documents(pks):
    proposals = ItemProposal.objects.select_related("organisation", *RUS_LINKS).order_by("pk")
    if pks is not None:
        proposals = proposals.filter(pk__in=pks)
    for proposal in proposals:
        day = _local_date(proposal.submitted_at)
        yield Document(
            kind=PROPOSAL,
            object_id=proposal.pk,
            title=proposal.title,
            body=_join(
                proposal.background,
                proposal.questions,
                proposal.decision_reason,
                _rus_link(proposal),
            ),
            url=reverse("meetings:proposal_detail", args=[proposal.pk]),
            context=proposal.organisation.name,
            organisation_id=proposal.organisation_id,
            person_id=proposal.proposer_id,
            focus_area_id=proposal.focus_area_id,
            year=day.year,
            date=day,
        )


def attachment_documents(pks):
    attachments = (
        Attachment.objects.select_related("item__meeting__council")
        .prefetch_related("versions")
        .order_by("pk")
    )
    if pks is not None:
        attachments = attachments.filter(pk__in=pks)
    attachments = list(attachments)
    current = {a.pk: a.current_version for a in attachments}
    texts = extraction.texts_for(
        ATTACHMENT_FILE, [version.pk for version in current.values() if version is not None]
    )
    for attachment in attachments:
        item, version = attachment.item, current[attachment.pk]
        meeting = item.meeting
        day = _local_date(meeting.starts_at)
        title = attachment.title
        if (
            version is not None
            and PurePath(version.original_name).stem.lower() not in title.lower()
        ):
            # Found by its file name too, whether or not its text could be read.
            title = f"{attachment.title} ({version.original_name})"
        yield Document(
            kind=ATTACHMENT,
            object_id=attachment.pk,
            title=title,
            body=texts.get(version.pk, "") if version is not None else "",
            body_weight="D",
            url=reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk]),
            context=f"{meeting.council.name} · {meeting.title} {day:%Y-%m-%d} · {item.title}",
            council_id=meeting.council_id,
            meeting_id=meeting.pk,
            presenter_id=item.presenter_id,
            focus_area_id=item.focus_area_id,
            year=day.year,
            date=day,
        )


# --- Rights: the same as the pages (meetings.access) -------------------------------------------


def visible_meetings(user):
    if not user.is_authenticated:
        return NOTHING
    roles = roles_for(user)
    if roles.prepares_agendas:
        return Q()
    # `access.visible_meetings`, split: the councils' own meetings by the row's council (a
    # meeting's row carries its council), and only the others the user may read (those where
    # they present an item) by id — read first, as a short list of integers: the ids of every
    # meeting of ten years made each search's SQL hundreds of parameters longer, to build,
    # send and test row by row. (An IN-list of integers also keeps the plan on the GIN index:
    # search.selectors._SETTINGS.)
    others = access.visible_meetings(user).exclude(council_id__in=roles.council_ids)
    return Q(council_id__in=roles.council_ids) | Q(
        meeting_id__in=list(others.values_list("pk", flat=True))
    )


def visible_items(user):
    """`access.visible_items`: the whole agenda for members of the council and those who
    prepare agendas; only their own items for a presenter (R7)."""
    if not user.is_authenticated:
        return NOTHING
    roles = roles_for(user)
    if roles.prepares_agendas:
        return Q()
    condition = Q(council_id__in=roles.council_ids)
    if roles.person is not None:
        condition |= Q(presenter_id=roles.person.pk)
    return condition


def visible_proposals(user):
    """`access.get_proposal_for_user`: the proposing organisation's representatives, the
    proposer and those who prepare the agendas (R9)."""
    if not user.is_authenticated:
        return NOTHING
    roles = roles_for(user)
    if roles.prepares_agendas:
        return Q()
    condition = Q(organisation_id__in=roles.organisation_ids)
    if roles.person is not None:
        condition |= Q(person_id=roles.person.pk)
    return condition


# --- Files ------------------------------------------------------------------------------------


def open_attachment_version(pk):
    version = AttachmentVersion.objects.filter(pk=pk).first()
    if version is None:
        return None
    return OpenedFile(
        file=version.file,
        name=version.original_name,
        document_kind=ATTACHMENT,
        document_id=version.attachment_id,
    )


def current_attachment_versions():
    """The newest version of every attachment (the one its document is indexed with)."""
    newest = {}
    for attachment_id, pk, number in AttachmentVersion.objects.values_list(
        "attachment_id", "pk", "number"
    ):
        if attachment_id not in newest or number > newest[attachment_id][1]:
            newest[attachment_id] = (pk, number)
    return [pk for pk, _ in newest.values()]


# --- Keeping the index current ------------------------------------------------------------------


def _meeting_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pk = instance.pk

    def refresh():
        # The council, date and title show in the items' and attachments' rows too.
        indexing.index(MEETING, [pk])
        indexing.index(ITEM, AgendaItem.objects.filter(meeting_id=pk).values_list("pk", flat=True))
        indexing.index(
            ATTACHMENT, Attachment.objects.filter(item__meeting_id=pk).values_list("pk", flat=True)
        )

    indexing.on_commit(refresh)


def _item_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pk = instance.pk

    def refresh():
        indexing.index(ITEM, [pk])
        indexing.index(
            ATTACHMENT, Attachment.objects.filter(item_id=pk).values_list("pk", flat=True)
        )

    indexing.on_commit(refresh)


def _version_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    indexing.schedule(ATTACHMENT, instance.attachment_id)
    if created:
        schedule_extraction(ATTACHMENT_FILE, instance.pk)


def _saved(kind):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            indexing.schedule(kind, instance.pk)

    return receiver


def _deleted(kind):
    def receiver(sender, instance, **kwargs):
        indexing.schedule_removal(kind, instance.pk)

    return receiver


def _version_deleted(sender, instance, **kwargs):
    indexing.schedule(ATTACHMENT, instance.attachment_id)


def register():
    """Called from MeetingsConfig.ready()."""
    registry.register(
        Kind(
            MEETING,
            _("Sammanträden"),
            _("Sammanträde"),
            meeting_documents,
            visible_meetings,
            order=10,
        )
    )
    registry.register(
        Kind(
            ITEM,
            _("Dagordningspunkter"),
            _("Dagordningspunkt"),
            item_documents,
            visible_items,
            order=20,
        )
    )
    registry.register(
        Kind(ATTACHMENT, _("Bilagor"), _("Bilaga"), attachment_documents, visible_items, order=40)
    )
    registry.register(
        Kind(
            PROPOSAL,
            _("Ärendeförslag"),
            _("Ärendeförslag"),
            proposal_documents,
            visible_proposals,
            order=50,
        )
    )
    registry.register_file_source(
        FileSource(ATTACHMENT_FILE, open_attachment_version, current_attachment_versions)
    )

    uid = "search.meetings"
    post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid=f"{uid}.meeting")
    post_delete.connect(_deleted(MEETING), sender=Meeting, dispatch_uid=f"{uid}.meeting-")
    post_save.connect(_item_saved, sender=AgendaItem, dispatch_uid=f"{uid}.item")
    post_delete.connect(_deleted(ITEM), sender=AgendaItem, dispatch_uid=f"{uid}.item-")
    post_save.connect(_saved(ATTACHMENT), sender=Attachment, dispatch_uid=f"{uid}.attachment")
    post_delete.connect(_deleted(ATTACHMENT), sender=Attachment, dispatch_uid=f"{uid}.attachment-")
    post_save.connect(_version_saved, sender=AttachmentVersion, dispatch_uid=f"{uid}.version")
    post_delete.connect(_version_deleted, sender=AttachmentVersion, dispatch_uid=f"{uid}.version-")
    post_save.connect(_saved(PROPOSAL), sender=ItemProposal, dispatch_uid=f"{uid}.proposal")
    post_delete.connect(_deleted(PROPOSAL), sender=ItemProposal, dispatch_uid=f"{uid}.proposal-")
