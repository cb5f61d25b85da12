from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def cache_shared_by_workers(app_configs, **kwargs) -> list[Warning]:
    """A cache kept inside each process makes every worker serve its own copy of the site."""
    if settings.WEB_WORKERS <= 1:
        return []
    return [
        Warning(
            f"The cache {alias!r} ({config['BACKEND']}) is kept per process, "
            f"but {settings.WEB_WORKERS} workers serve the site.",
            hint="Edits, rate limits and page versions would differ between workers: leave CACHES to the "
            "default (files under var/cache/) or set REDIS_URL, or set GUNICORN_WORKERS=1.",
            id="promotion.W001",
        )
        for alias, config in settings.CACHES.items()
        if config["BACKEND"] in PER_PROCESS_BACKENDS
    ]
