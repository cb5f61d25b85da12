"""Quiet defences against machines: a field people never see, and a clock."""

import time

from django.conf import settings
from django.core import signing

SALT = "promotion.enquiry-form-started"


def form_started_token(now: float | None = None) -> str:
    return signing.dumps(now if now is not None else time.time(), salt=SALT)


def seconds_since(token: str, now: float | None = None) -> float | None:
    try:
        started = float(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - started


def spam_reason(honeypot: str, started_token: str, now: float | None = None) -> str:
    """Why a submission looks automated, or "" when it looks human."""
    if honeypot.strip():
        return "honeypot filled"
    elapsed = seconds_since(started_token, now)
    if elapsed is None:
        return "form timestamp missing or forged"
    if elapsed < settings.ENQUIRY_MIN_SECONDS:
        return f"sent {elapsed:.1f} s after the form opened"
    return ""
