"""Quiet defences against machines: a field people never see, and a clock.

The clock is a signed token in the form: when the form was opened, and a nonce. A form is
sent once (the nonce is recorded with the enquiry; sending it again is quarantined as spam)
and for at most ENQUIRY_FORM_MAX_HOURS (an older one comes back to the person, with what they
typed and a new clock). Sooner than ENQUIRY_MIN_SECONDS after opening is a machine.
"""

import secrets
import time
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models.enquiries import UsedFormToken

SALT = "promotion.enquiry-form-started"


class Clock(NamedTuple):
    started: float
    nonce: str  # empty in the clocks of forms opened before forms had nonces


def form_started_token(now: float | None = None) -> str:
    started = now if now is not None else time.time()
    return signing.dumps({"t": started, "n": secrets.token_urlsafe(16)}, salt=SALT)


def restarted_token() -> str:
    """A new clock for a person whose form came back to them: already past ENQUIRY_MIN_SECONDS,
    since they filled it in long ago."""
    return form_started_token(time.time() - settings.ENQUIRY_MIN_SECONDS)


def read_clock(token: str) -> Clock | None:
    """The clock in a token, or None when it is missing or forged."""
    try:
        value = signing.loads(token, salt=SALT)
        if isinstance(value, dict):
            return Clock(float(value["t"]), str(value["n"]))
        return Clock(float(value), "")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def is_out_of_date(clock: Clock, now: float | None = None) -> bool:
    elapsed = (now if now is not None else time.time()) - clock.started
    return not clock.nonce or elapsed > settings.ENQUIRY_FORM_MAX_HOURS * 3600


def spam_reason(honeypot: str, clock: Clock | None, now: float | None = None) -> str:
    """Why a submission looks automated, or "" when it looks human."""
    if honeypot.strip():
        return "honeypot filled"
    if clock is None:
        return "form timestamp missing or forged"
    elapsed = (now if now is not None else time.time()) - clock.started
    if elapsed < settings.ENQUIRY_MIN_SECONDS:
        return f"sent {elapsed:.1f} s after the form opened"
    return ""


def spend(nonce: str) -> bool:
    """Record, in the caller's transaction, that an enquiry was sent with this form clock;
    False when one already was. Records that have outlived any form are removed."""
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(
                nonce=nonce[:32], expires_at=now + timedelta(hours=settings.ENQUIRY_FORM_MAX_HOURS)
            )
    except IntegrityError:
        return False
    UsedFormToken.objects.filter(expires_at__lt=now).delete()
    return True
