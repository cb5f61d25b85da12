from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "promotion"
    verbose_name = _("Zone promotion")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 — registers the checks, connects the cache invalidation
