from django.conf import settings
from django.core.checks import Tags, Warning, register

from . import workdays

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


@register()
def holiday_calendar_is_known(app_configs, **kwargs) -> list[Warning]:
    """Reply due dates count working days by China's official calendar, which the chinesecalendar
    package knows a year at a time; in a year it does not know, they count Monday to Friday."""
    years = workdays.unknown_years()
    if not years:
        return []
    listed = ", ".join(str(year) for year in years)
    return [
        Warning(
            f"The chinesecalendar package has no official holidays for {listed}: reply due dates in "
            f"{listed} count Monday to Friday as working days, ignoring public holidays and make-up working days.",
            hint="Upgrade chinesecalendar in requirements.txt once a release carries the State Council's "
            "holiday notice for that year (usually published in November of the year before).",
            id="promotion.W002",
        )
    ]
