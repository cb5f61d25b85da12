"""Counters behind the rate limits, in the database: shared by every worker and server,
and out of reach of whatever fills the page cache."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """How many times one client address has used one allowance in one fixed window."""

    scope = models.CharField(_("scope"), max_length=40)
    address = models.CharField(_("address"), max_length=64)
    window = models.PositiveBigIntegerField(_("window"), help_text=_("Seconds since 1970 divided by the window."))
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "address", "window"], name="%(app_label)s_%(class)s_one_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.address} #{self.window}: {self.count}"
