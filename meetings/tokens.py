"""Signed reply links: the token in an invitation's reply link is the only key to its reply page.

The token carries the invitation, its meeting and its person (for an outside presenter a digest
of the address); it is signed, not encrypted, so it holds no address.
`access.get_invitation_for_token` checks it against the invitation it names.
"""

import hashlib

from django.core import signing
from django.utils.translation import gettext

REPLY_TOKEN_SALT = "meetings.invitation.reply"


class InvalidReplyToken(Exception):
    """A reply link that is forged, altered, for another meeting, or expired."""


def recipient_key(invitation):
    """The person, or for an outside presenter a digest of the address (not the address: the
    token is readable, only signed)."""
    if invitation.person_id:
        return invitation.person_id
    return hashlib.sha256(invitation.email.lower().encode()).hexdigest()[:24]


def make_reply_token(invitation):
    """A signed token bound to the invitation, its person (or address) and its meeting."""
    payload = {"i": invitation.pk, "m": invitation.meeting_id, "p": recipient_key(invitation)}
    return signing.dumps(payload, salt=REPLY_TOKEN_SALT, compress=True)


def read_reply_token(token):
    """(invitation id, meeting id, recipient key) from a token; InvalidReplyToken if forged."""
    try:
        payload = signing.loads(token, salt=REPLY_TOKEN_SALT)
        return payload["i"], payload["m"], payload["p"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise InvalidReplyToken(gettext("Länken är inte giltig.")) from exc
