"""Fixed-window allowances per client address, counted in the database.

`take` counts one use inside the caller's transaction, so an enquiry and the use of the
allowance it cost are saved together or not at all; `exhausted` only looks. Visitors whose
address is not known (promotion.clients gives None) share one allowance.
"""

import time
from datetime import UTC, datetime

from django.db import transaction

from .models import RateLimitCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/h" → (10, 3600). "5/10m" → (5, 600)."""
    count, _, period = rate.partition("/")
    period = period.strip() or "h"
    multiplier = int(period[:-1]) if len(period) > 1 else 1
    return int(count), multiplier * PERIODS[period[-1]]


def current_window(rate: str, now: float | None = None) -> tuple[int, int, int]:
    limit, seconds = parse_rate(rate)
    return limit, seconds, int((time.time() if now is None else now) // seconds)


def counted_as(address: str | None) -> str:
    return (address or "unknown")[:64]


def exhausted(scope: str, address: str | None, rate: str) -> bool:
    """Whether the address has no use of this allowance left in the current window."""
    limit, _, window = current_window(rate)
    used = (
        RateLimitCounter.objects.filter(scope=scope, address=counted_as(address), window=window)
        .values_list("count", flat=True)
        .first()
    )
    return (used or 0) >= limit


def take(scope: str, address: str | None, rate: str) -> bool:
    """Use one of the address's allowance; False (and nothing counted) once it is used up."""
    limit, seconds, window = current_window(rate)
    with transaction.atomic():
        counter, created = RateLimitCounter.objects.get_or_create(
            scope=scope,
            address=counted_as(address),
            window=window,
            defaults={"expires_at": datetime.fromtimestamp((window + 1) * seconds, UTC)},
        )
        if created:
            RateLimitCounter.objects.filter(expires_at__lt=datetime.now(UTC)).delete()
        counter = RateLimitCounter.objects.select_for_update().get(pk=counter.pk)
        if counter.count >= limit:
            return False
        counter.count += 1
        counter.save(update_fields=["count"])
    return True
