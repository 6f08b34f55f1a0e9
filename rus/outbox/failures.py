"""Why a mail could not be sent: each error sorted into a kind that a reader understands, with
a Swedish explanation (English in the translation), and whether sending again can help.

The SMTP reply codes are RFC 5321's: 4xx is temporary (retried), 5xx permanent (not retried).
"""

import smtplib
import socket
import ssl

from celery.exceptions import SoftTimeLimitExceeded
from django.db import models
from django.utils.translation import gettext_lazy as _


class FailureKind(models.TextChoices):
    UNREACHABLE = "unreachable", _("E-postservern nås inte")
    TIMEOUT = "timeout", _("E-postservern svarade inte i tid")
    DISCONNECTED = "disconnected", _("Förbindelsen bröts")
    AUTHENTICATION = "authentication", _("Inloggningen till e-postservern misslyckades")
    ENCRYPTION = "encryption", _("Krypterad förbindelse kunde inte upprättas")
    ADDRESS_REFUSED = "address_refused", _("Adressen avvisades")
    MAILBOX_FULL = "mailbox_full", _("Mottagarens brevlåda är full")
    REFUSED = "refused", _("Meddelandet avvisades")
    TEMPORARY = "temporary", _("Tillfälligt fel hos e-postservern")
    UNCERTAIN = "uncertain", _("Osäkert om meddelandet kom fram")
    INTERNAL = "internal", _("Fel i Samverkan")

    @property
    def explanation(self):
        return EXPLANATIONS[self]


EXPLANATIONS = {
    FailureKind.UNREACHABLE: _(
        "Samverkan kunde inte ansluta till e-postservern. Servern kan vara nere eller "
        "inställningen för e-postserver fel. Försök igen senare eller kontakta driften."
    ),
    FailureKind.TIMEOUT: _(
        "E-postservern svarade inte i tid. Det är oftast tillfälligt; försök igen senare."
    ),
    FailureKind.DISCONNECTED: _(
        "E-postservern stängde förbindelsen mitt i sändningen. Det är oftast tillfälligt; "
        "försök igen senare."
    ),
    FailureKind.AUTHENTICATION: _(
        "Samverkan kunde inte logga in på e-postservern (fel användarnamn eller lösenord). "
        "Kontakta driften."
    ),
    FailureKind.ENCRYPTION: _(
        "Den krypterade förbindelsen till e-postservern kunde inte upprättas (certifikat eller "
        "TLS-inställning). Kontakta driften."
    ),
    FailureKind.ADDRESS_REFUSED: _(
        "Mottagarens e-postserver avvisade adressen: den finns inte eller tar inte emot e-post. "
        "Kontrollera adressen i registret och skicka igen."
    ),
    FailureKind.MAILBOX_FULL: _(
        "Mottagarens brevlåda är full. Be mottagaren rensa den, eller skicka igen senare."
    ),
    FailureKind.REFUSED: _(
        "E-postservern avvisade meddelandet permanent. Att skicka samma meddelande igen hjälper "
        "sällan; se den tekniska detaljen eller kontakta driften."
    ),
    FailureKind.TEMPORARY: _(
        "E-postservern kunde inte ta emot meddelandet just nu, trots flera försök. "
        "Försök igen senare."
    ),
    FailureKind.UNCERTAIN: _(
        "Sändningen avbröts två gånger mitt i (arbetsprocessen startades om). Meddelandet kan ha "
        "kommit fram; fråga mottagaren innan du skickar igen."
    ),
    FailureKind.INTERNAL: _(
        "Meddelandet kunde inte skapas på grund av ett fel i Samverkan. Kontakta driften."
    ),
}

# What a worker raises talking to a mail server (or when the task's soft time limit cuts a slow
# conversation short); anything else is a fault in Samverkan.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)

MAILBOX_FULL_CODES = {452, 552}


def _codes(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def is_permanent(error):
    """An SMTP 5xx answer (no such mailbox, message refused): sending again cannot help."""
    codes = _codes(error)
    return bool(codes) and all(code >= 500 for code in codes)


def classify(error):
    """The kind of a delivery error, for the explanation shown beside the failed row."""
    if not isinstance(error, DELIVERY_ERRORS):
        return FailureKind.INTERNAL
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return FailureKind.AUTHENTICATION
    codes = _codes(error)
    if codes:
        if any(code in MAILBOX_FULL_CODES for code in codes):
            return FailureKind.MAILBOX_FULL
        if not is_permanent(error):
            return FailureKind.TEMPORARY
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return FailureKind.ADDRESS_REFUSED
        return FailureKind.REFUSED
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return FailureKind.DISCONNECTED
    if isinstance(error, ssl.SSLError):
        return FailureKind.ENCRYPTION
    if isinstance(error, (TimeoutError, socket.timeout, SoftTimeLimitExceeded)):
        return FailureKind.TIMEOUT
    if isinstance(error, (ConnectionError, socket.gaierror, OSError)):
        return FailureKind.UNREACHABLE
    return FailureKind.TEMPORARY


def describe(error):
    """The technical detail kept with the row (shown folded away)."""
    if isinstance(error, str):
        return error[:2000]
    return f"{type(error).__name__}: {error}"[:2000]
