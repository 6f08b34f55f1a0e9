"""The invitation mail (R5, R7): HTML and text from templates/emails/invitation*-*, in the
mail language (settings.LANGUAGE_CODE: Swedish, whoever sends it), with the agenda PDF and the
calendar entry (.ics) attached; and its preview before sending."""

import base64
import copy
import email
import email.policy
import hashlib
import json
import re
import threading
import time
from email.mime.application import MIMEApplication
from email.utils import formataddr, formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape
from django.utils.translation import gettext, gettext_lazy

from meetings import documents, ics, pdf
from meetings.models import Invitation, Mailing
from meetings.schedule import agenda_schedule, format_time_span, snapshot
from meetings.selectors.invitations import inviting_chair, pending_changes
from meetings.tokens import make_reply_token
from rus.emails import assemble, build_message, render_parts

from .links import kallelse_url, meeting_url, reply_url

TEMPLATES = {
    Mailing.Kind.INVITATION: "invitation",
    Mailing.Kind.UPDATE: "invitation_update",
    Mailing.Kind.CANCELLATION: "invitation_cancellation",
    Mailing.Kind.REMINDER: "invitation_reminder",
}

# R5, stated in every invitation.
COST_RULE = gettext_lazy(
    "Varje organisation står för sina egna kostnader för resor och logistik. "
    "Region Västernorrland står för kostnaderna för själva mötet."
)


# --- The agenda PDF, rendered once per agenda version in each worker process -------------------

_pdf_cache = {}
_pdf_lock = threading.Lock()
PDF_CACHE_SECONDS = 600
PDF_WAIT_SECONDS = 60  # for another worker's rendering, well inside a task's time limit


def agenda_pdf(meeting, schedule):
    """The agenda PDF; 500 invitations share one rendering while the agenda stays the same:
    the `agenda` document of the agenda's version (meetings/documents.py), which sending asks
    for, so that one worker renders it and the others read it (waiting for it a while), or,
    without it, a rendering of this process's own."""
    fingerprint = hashlib.sha256(
        json.dumps(
            [snapshot(meeting, schedule), meeting.updated_at.isoformat(), meeting.status],
            sort_keys=True,
        ).encode()
    ).hexdigest()
    key = (meeting.pk, fingerprint)
    now = time.monotonic()
    with _pdf_lock:
        cached = _pdf_cache.get(key)
        if cached and cached[1] > now:
            return cached[0]
    from meetings import documents  # (documents → pdf; this module is imported by neither)

    content = documents.rendered_agenda(meeting, wait_seconds=PDF_WAIT_SECONDS)
    if content is None:
        with translation.override(settings.LANGUAGE_CODE):  # attached to a mail: mail language
            content = pdf.render_agenda_pdf(meeting)
    with _pdf_lock:
        for stale in [k for k, (_, expires) in _pdf_cache.items() if expires <= now]:
            del _pdf_cache[stale]
        _pdf_cache[key] = (content, now + PDF_CACHE_SECONDS)
    return content


# --- The message ---------------------------------------------------------------------------


def message_kind(invitation, mailing):
    """The invitation's own mailing is the full invitation, whatever that mailing was."""
    return Mailing.Kind.INVITATION if mailing.pk == invitation.mailing_id else mailing.kind


def organizer_for(mailing):
    chair = mailing.inviting_chair
    default_email, default_name = ics.default_organizer()
    if chair is None:
        return default_email, default_name
    return chair.contact_email or default_email, chair.full_name


def calendar_description(meeting, schedule, *, agenda_url):
    lines = [f"{meeting.council.name}: {meeting.title}", ""]
    lines += [f"{entry.number}. {entry.title}" for entry in schedule]
    with translation.override(settings.LANGUAGE_CODE):  # part of a mail, in the mail language
        lines += ["", gettext("Dagordning och handlingar: %(url)s") % {"url": agenda_url}]
        if meeting.video_link:
            lines.append(gettext("Länk till mötet: %(url)s") % {"url": meeting.video_link})
    return "\n".join(lines)


def attach_calendar(message, content, method):
    """The entry the way Google Calendar sends one, which Outlook and Apple Mail also accept:
    a text/calendar part with METHOD beside the text and HTML bodies, and the same entry as
    an .ics attachment for clients that only offer attachments."""
    message.attach_alternative(content.decode("utf-8"), f"text/calendar; method={method}")
    message.attach("kallelse.ics", content, "application/ics")


class MeetingLinks:
    """What every message about a meeting states alike: its date and time in the mail
    language, the agenda's and the kallelse's addresses, and the reply link's address around
    its token (one `reverse()` for all of them, not six per message)."""

    _TOKEN = "samverkantoken7d1c"

    def __init__(self, meeting):
        with translation.override(settings.LANGUAGE_CODE):
            self.date_display = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
            self.time_display = format_time_span(meeting.starts_at, meeting.ends_at)
        self.agenda_url = meeting_url(meeting)
        self.kallelse_url = kallelse_url(meeting)
        self._reply = reply_url(None, token=self._TOKEN).split(self._TOKEN)

    def reply_url(self, token, answer=""):
        """`links.reply_url(invitation, answer, token=token)`, by putting the token in place
        (a signed token is URL-safe: `reverse()` leaves it as it is)."""
        url = f"{self._reply[0]}{token}{self._reply[1]}"
        return f"{url}?svar={answer}" if answer else url


def mail_context(invitation, mailing, schedule, links=None):
    """The templates' context for one person; `links` (`MeetingLinks`) when several messages
    about the meeting are built."""
    meeting = invitation.meeting
    links = links or MeetingLinks(meeting)
    chair = mailing.inviting_chair
    on_behalf = bool(
        mailing.sent_by_id
        and (chair is None or chair.user_id is None or chair.user_id != mailing.sent_by_id)
    )
    token = make_reply_token(invitation)  # one signature for the mail's four links
    own_items = [entry for entry in schedule if _presents(invitation, entry.item)]
    return {
        "invitation": invitation,
        "mailing": mailing,
        "meeting": meeting,
        "council_name": meeting.council.name,
        "date_display": links.date_display,
        "time_display": links.time_display,
        "schedule": schedule,
        "own_items": own_items,
        "agenda_url": links.agenda_url,
        # The agenda with its documents as one PDF, for members (who may read the whole agenda).
        "kallelse_url": links.kallelse_url if invitation.membership_id else "",
        # An outside presenter (not in the register) cannot sign in to see the meeting page.
        "can_sign_in": invitation.person_id is not None,
        "chair_name": chair.full_name if chair else "",
        "on_behalf": on_behalf,
        "personal_note": mailing.personal_note,
        "changes": [line for line in mailing.changes.splitlines() if line.strip()],
        "cost_rule": COST_RULE,
        "reply_attending_url": links.reply_url(token, "attending"),
        "reply_not_attending_url": links.reply_url(token, "not_attending"),
        "reply_substitute_url": links.reply_url(token, "substitute"),
        "reply_url": links.reply_url(token),
        "reminder_days": mailing.reminder_days,
    }


def _presents(invitation, item):
    if invitation.person_id:
        return item.presenter_id == invitation.person_id
    return (
        not item.presenter_id
        and item.presenter_email
        and item.presenter_email.lower() == invitation.email.lower()
    )


def attached_kallelse(invitation, mailing):
    """The kallelse med handlingar to attach to this person's mail, or None to link it: only
    where the council attaches it (the mailing then names the file), for members (who may read
    the whole agenda), once rendered, and not above settings.KALLELSE_ATTACHMENT_MAX_BYTES."""
    document = mailing.kallelse
    if document is None or not invitation.membership_id or not document.is_done:
        return None
    if document.size is None or document.size > settings.KALLELSE_ATTACHMENT_MAX_BYTES:
        return None
    return document


def kallelse_on_send(meeting):
    """For the send page: how the members' mails will carry the kallelse med handlingar, as
    {"attach": bool, "document": the current version's row or None, "fits": bool, "limit":
    bytes}. Where the council attaches it, the current version is asked for now, so that it is
    usually rendered before the first mail is built."""
    limit = settings.KALLELSE_ATTACHMENT_MAX_BYTES
    if not meeting.council.attach_kallelse or not documents.is_offered(meeting):
        return {"attach": False, "document": None, "fits": False, "limit": limit}
    document = documents.request_kallelse(meeting)
    fits = document.is_done and document.size is not None and document.size <= limit
    return {"attach": True, "document": document, "fits": fits, "limit": limit}


def build_invitation_message(invitation, mailing, parts=None):
    """The mail for one person and one mailing, attachments included. `parts` (a
    `MailingParts`) shares what every message of the mailing has in common between the
    messages of one batch; without it everything is built for this message alone."""
    meeting = invitation.meeting
    kind = message_kind(invitation, mailing)
    schedule = parts.schedule(meeting) if parts else agenda_schedule(meeting)
    context = mail_context(invitation, mailing, schedule, parts.links(meeting) if parts else None)
    kallelse = None
    if kind in (Mailing.Kind.INVITATION, Mailing.Kind.UPDATE):
        kallelse = attached_kallelse(invitation, mailing)
    context["kallelse_attached"] = kallelse is not None
    to = [formataddr((invitation.name, invitation.email))]
    if parts is None:
        with translation.override(settings.LANGUAGE_CODE):
            message = build_message(template=TEMPLATES[kind], to=to, context=context)
    else:
        subject, text, html = parts.bodies(invitation, mailing, kind, context)
        message = assemble(
            subject=subject, text=text, html=html, to=to, message_class=PreparedMessage
        )
    if kind == Mailing.Kind.REMINDER:
        if parts:
            parts.prepare(message, invitation, mailing, kind, context, calendars=None)
        return message
    method = ics.CANCEL if kind == Mailing.Kind.CANCELLATION else ics.REQUEST
    if parts:
        calendars = parts.calendar(meeting, mailing, schedule, method, context["agenda_url"])
        calendar = calendars.for_attendee(invitation.email, invitation.name)
    else:
        calendar = ics.invitation_calendar(
            meeting,
            organizer=organizer_for(mailing),
            attendee=(invitation.email, invitation.name),
            description=calendar_description(meeting, schedule, agenda_url=context["agenda_url"]),
            url=context["agenda_url"],
            method=method,
        )
    if kind != Mailing.Kind.CANCELLATION:
        if parts:
            message.attach(parts.agenda_pdf_part(meeting, schedule))
        else:
            message.attach("dagordning.pdf", agenda_pdf(meeting, schedule), "application/pdf")
    if kallelse is not None:
        if parts:
            message.attach(parts.kallelse_part(kallelse))
        else:
            with kallelse.file.open("rb") as handle:
                message.attach(kallelse.filename, handle.read(), "application/pdf")
    attach_calendar(message, calendar, method)
    if parts:
        message.calendar = calendar
        parts.prepare(message, invitation, mailing, kind, context, calendars=calendars)
    return message


class PreparedMessage(EmailMultiAlternatives):
    """A message whose bytes are made from a template serialized once per shape of message
    (`MailingParts.prepare`) by replacing the person's parts; its fields (body, alternatives,
    attachments) are set as for any message. Without a template it serializes as usual."""

    prepared = None  # (MessageTemplate, [(stand-in bytes, the person's bytes)])

    def message(self):
        if self.prepared is None:
            return super().message()
        template, replacements = self.prepared
        message_id = self.extra_headers.get("Message-ID") or make_msgid()
        values = dict(replacements)
        values[_DATE] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode()
        values[_MESSAGE_ID] = message_id.encode()
        return SerializedMessage(template.fill(values))


class MessageTemplate:
    """A serialized message cut at its stand-ins, once: each message is one join of the
    pieces with its own values (not one pass over the 30 KB per stand-in)."""

    def __init__(self, data, stand_ins):
        found = []  # (where, stand-in); they do not overlap (`_template` counted each)
        for stand_in in stand_ins:
            start = data.find(stand_in)
            while start != -1:
                found.append((start, stand_in))
                start = data.find(stand_in, start + len(stand_in))
        self.pieces = []  # text, stand-in, text, stand-in, …, text
        position = 0
        for start, stand_in in sorted(found):
            self.pieces += [data[position:start], stand_in]
            position = start + len(stand_in)
        self.pieces.append(data[position:])

    def fill(self, values):
        pieces = self.pieces.copy()
        for index in range(1, len(pieces), 2):
            pieces[index] = values[pieces[index]]
        return b"".join(pieces)


class SerializedMessage:
    """What `EmailMessage.message()` returns, for a message already in bytes: the SMTP backend
    asks for `as_bytes()`; a header is read from the bytes."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n"):
        return self.as_bytes(linesep=linesep).decode("utf-8", "surrogateescape")

    def __getitem__(self, name):
        return email.message_from_bytes(self.data, policy=email.policy.compat32)[name]

    def get_charset(self):  # the console backend asks; the parts carry their own
        return None


# --- Shared parts: rendered once per mailing, personalised per message -------------------------

# Stand-ins for what differs from one person to the next within one shape of message; each is
# replaced in the rendered text by the person's value (HTML-escaped in the HTML part).
# `tests/meetings/test_invitation_batches.py` checks that the result is the mail rendered for
# the person alone, so a template that starts to transform one of these values fails there.
_NAME = "samverkanpersonalname7d1c"
_PERSONAL_URLS = {
    "reply_attending_url": "samverkanpersonalattending7d1c",
    "reply_not_attending_url": "samverkanpersonalnotattending7d1c",
    "reply_substitute_url": "samverkanpersonalsubstitute7d1c",
    "reply_url": "samverkanpersonalreply7d1c",
}


_DATE = b"samverkandate7d1c"
_MESSAGE_ID = b"<samverkanmessageid7d1c@samverkan.invalid>"
_TO = "samverkanto7d1c@samverkan.invalid"


def _header_block(data, name):
    """Where header `name` (with its folded continuation lines) is in serialized `data`."""
    start = data.index(b"\r\n" + name + b": ") + 2 if not data.startswith(name + b": ") else 0
    end = data.index(b"\r\n", start)
    while data[end + 2 : end + 3] in (b" ", b"\t"):
        end = data.index(b"\r\n", end + 2)
    return start, end + 2


# A To header that sanitising and folding leave as it is: a plain name and address, short.
_PLAIN_TO = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]* <[A-Za-z0-9._+\-]+@[A-Za-z0-9.\-]+>")


def _to_header(value):
    """The To header as Django writes it (its sanitising, the email package's folding)."""
    if len(value) <= 72 and _PLAIN_TO.fullmatch(value):
        return b"To: " + value.encode() + b"\r\n"
    part = SafeMIMEText("", "plain", "utf-8")
    part["To"] = value
    data = part.as_bytes(linesep="\r\n")
    start, end = _header_block(data, b"To")
    return data[start:end]


def _base64(data):
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


_parts_cache = {}  # meeting pk -> (fingerprint, MailingParts, expires)
_parts_lock = threading.Lock()
PARTS_CACHE_SECONDS = 300


def _parts_fingerprint(meeting, schedule):
    """Everything about the meeting that its messages show and a `MailingParts` keeps: the
    meeting's and each item's version (every edit raises them), its status and calendar
    sequence (changed without an edit), names shown that live elsewhere."""
    return (
        meeting.version,
        meeting.updated_at,
        meeting.status,
        meeting.calendar_sequence,
        meeting.council.name,
        tuple(
            (entry.item.pk, entry.item.version, entry.number, entry.item.presenter_display)
            for entry in schedule
        ),
    )


class MailingParts:
    """What the messages of one batch share (21 ms of a message's time used to be spent
    building what is the same for everyone): each meeting's schedule, calendar entry
    (`ics.InvitationCalendars`) and agenda PDF (as an encoded MIME part), and each mailing's
    bodies rendered once per shape of message — kind, capacity, member or not, registered
    person or not, the items the person presents — with stand-ins for the person's name and
    reply links."""

    def __init__(self):
        self._schedules = {}
        self._links = {}
        self._calendars = {}
        self._pdf_parts = {}
        self._pdf_parts_by_document = {}
        self._bodies = {}
        self._templates = {}

    @classmethod
    def for_meeting(cls, meeting):
        """This worker process's parts for `meeting`'s messages, kept from one batch to the
        next (once per mailing, not once per batch of it) while the meeting and its agenda are
        as they were — one query tells: the schedule — and for PARTS_CACHE_SECONDS at most."""
        schedule = agenda_schedule(meeting)
        fingerprint = _parts_fingerprint(meeting, schedule)
        now = time.monotonic()
        with _parts_lock:
            cached = _parts_cache.get(meeting.pk)
            if cached and cached[0] == fingerprint and cached[2] > now:
                return cached[1]
            parts = cls()
            parts._schedules[meeting.pk] = schedule
            for stale in [pk for pk, (_, _, expires) in _parts_cache.items() if expires <= now]:
                del _parts_cache[stale]
            _parts_cache[meeting.pk] = (fingerprint, parts, now + PARTS_CACHE_SECONDS)
        return parts

    def schedule(self, meeting):
        if meeting.pk not in self._schedules:
            self._schedules[meeting.pk] = agenda_schedule(meeting)
        return self._schedules[meeting.pk]

    def links(self, meeting):
        if meeting.pk not in self._links:
            self._links[meeting.pk] = MeetingLinks(meeting)
        return self._links[meeting.pk]

    def calendar(self, meeting, mailing, schedule, method, agenda_url):
        key = (meeting.pk, mailing.pk, method)
        if key not in self._calendars:
            self._calendars[key] = ics.InvitationCalendars(
                meeting,
                organizer=organizer_for(mailing),
                description=calendar_description(meeting, schedule, agenda_url=agenda_url),
                url=agenda_url,
                method=method,
            )
        return self._calendars[key]

    def agenda_pdf_part(self, meeting, schedule):
        if meeting.pk not in self._pdf_parts:
            part = MIMEApplication(agenda_pdf(meeting, schedule), "pdf")
            part.add_header("Content-Disposition", "attachment", filename="dagordning.pdf")
            self._pdf_parts[meeting.pk] = part
        return self._pdf_parts[meeting.pk]

    def kallelse_part(self, document):
        """The kallelse med handlingar (a rendered document) as an encoded MIME part, read
        once per batch."""
        if document.pk not in self._pdf_parts_by_document:
            with document.file.open("rb") as handle:
                part = MIMEApplication(handle.read(), "pdf")
            part.add_header("Content-Disposition", "attachment", filename=document.filename)
            self._pdf_parts_by_document[document.pk] = part
        return self._pdf_parts_by_document[document.pk]

    @staticmethod
    def shape(invitation, mailing, kind, context):
        return (
            mailing.pk,
            kind,
            invitation.capacity,
            bool(context["kallelse_url"]),
            # Attached or linked: the body says which, and the template holds the file.
            context.get("kallelse_attached", False),
            context["can_sign_in"],
            tuple(entry.item.pk for entry in context["own_items"]),
        )

    def bodies(self, invitation, mailing, kind, context):
        shape = self.shape(invitation, mailing, kind, context)
        if shape not in self._bodies:
            stand_in = copy.copy(invitation)
            stand_in.name = _NAME
            shared = {**context, "invitation": stand_in, **_PERSONAL_URLS}
            self._bodies[shape] = render_parts(template=TEMPLATES[kind], context=shared)
        subject, text, html = self._bodies[shape]
        values = {_NAME: invitation.name}
        values.update({_PERSONAL_URLS[key]: context[key] for key in _PERSONAL_URLS})
        for stand_in, value in values.items():
            subject = subject.replace(stand_in, value)
            text = text.replace(stand_in, value)
            html = html.replace(stand_in, conditional_escape(value))
        return subject, text, html

    def prepare(self, message, invitation, mailing, kind, context, *, calendars):
        """Give `message` its bytes from its shape's template (serialized once; the email
        package spent as long on each message as everything else together). A template in
        which some stand-in cannot be found as written (an encoded header, a line too long for
        8 bits) is not used: such messages serialize as usual."""
        shape = self.shape(invitation, mailing, kind, context)
        if shape not in self._templates:
            self._templates[shape] = self._template(message, shape, calendars)
        template = self._templates[shape]
        if template is None:
            return
        values = {_NAME: invitation.name}
        values.update({_PERSONAL_URLS[key]: context[key] for key in _PERSONAL_URLS})
        replacements = [(b"To: " + _TO.encode() + b"\r\n", _to_header(", ".join(message.to)))]
        for stand_in, value in values.items():
            replacements.append(((stand_in + "t").encode(), value.encode()))
            replacements.append(((stand_in + "h").encode(), conditional_escape(value).encode()))
        if calendars is not None:
            personal = message.calendar
            start, end = ics._attendee_lines(personal)
            replacements.append(
                (calendars.ical[calendars.start : calendars.end], personal[start:end])
            )
            replacements.append((_base64(calendars.ical), _base64(personal)))
        message.prepared = (template, replacements)

    def _template(self, message, shape, calendars):
        subject, text, html = self._bodies[shape]
        text_t, html_t = text, html
        for stand_in in (_NAME, *_PERSONAL_URLS.values()):
            text_t = text_t.replace(stand_in, stand_in + "t")
            html_t = html_t.replace(stand_in, stand_in + "h")
        sample = EmailMultiAlternatives(
            subject=subject,
            body=text_t,
            from_email=message.from_email,
            to=[_TO],
            headers={"Date": _DATE.decode(), "Message-ID": _MESSAGE_ID.decode()},
        )
        sample.attach_alternative(html_t, "text/html")
        for attachment in message.attachments[:-1]:  # the PDF; the calendar's own follows
            sample.attach(attachment)
        if calendars is not None:
            method = message.alternatives[-1][1].split("method=")[-1]
            attach_calendar(sample, calendars.ical, method)
        data = sample.message().as_bytes(linesep="\r\n")
        expected = [(b"To: " + _TO.encode() + b"\r\n", 1), (_DATE, 1), (_MESSAGE_ID, 1)]
        for stand_in in (_NAME, *_PERSONAL_URLS.values()):
            if stand_in in subject:
                return None  # the subject is encoded: not in the bytes as written
            expected.append(((stand_in + "t").encode(), text_t.count(stand_in + "t")))
            expected.append(((stand_in + "h").encode(), html_t.count(stand_in + "h")))
        if calendars is not None:
            expected.append((calendars.ical[calendars.start : calendars.end], 1))
            expected.append((_base64(calendars.ical), 1))
        if any(data.count(stand_in) != count for stand_in, count in expected):
            return None
        return MessageTemplate(data, [stand_in for stand_in, count in expected if count])


def preview(
    *, meeting, user, recipient_list, personal_note, kind=Mailing.Kind.INVITATION, kallelse=None
):
    """The message as the first recipient would get it (unsaved rows; links are samples), as
    {to, subject, html, text, language}; None without a recipient. `kallelse` is the send
    page's `kallelse_on_send()`: a member's mail says the kallelse med handlingar is attached
    when it will be, as `attached_kallelse` decides when the mail is built."""
    if not recipient_list.recipients:
        return None
    recipient = recipient_list.recipients[0]
    mailing = Mailing(
        meeting=meeting,
        kind=kind,
        sequence=meeting.calendar_sequence,
        personal_note=personal_note,
        changes=_changes_in_mail_language(meeting) if kind == Mailing.Kind.UPDATE else "",
        inviting_chair=inviting_chair(meeting, user),
        sent_by=user,
    )
    invitation = Invitation(
        meeting=meeting,
        person=recipient.person,
        membership=recipient.membership,
        name=recipient.name,
        email=recipient.email,
        capacity=recipient.capacity,
    )
    if kind == Mailing.Kind.INVITATION:
        invitation.mailing = mailing
    context = mail_context(invitation, mailing, agenda_schedule(meeting))
    context["kallelse_attached"] = bool(
        kallelse
        and kallelse["fits"]
        and invitation.membership_id
        and kind in (Mailing.Kind.INVITATION, Mailing.Kind.UPDATE)
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = build_message(
            template=TEMPLATES[kind],
            to=[f"{recipient.name} <{recipient.email}>"],
            context=context,
        )
    return {
        "to": message.to[0],
        "subject": message.subject,
        "html": message.alternatives[0][0],
        "text": message.body,
        "language": settings.LANGUAGE_CODE,  # the mail's, shown in a page in the user's
    }


def _changes_in_mail_language(meeting):
    with translation.override(settings.LANGUAGE_CODE):  # the top of a mail, in the mail language
        return "\n".join(pending_changes(meeting))
