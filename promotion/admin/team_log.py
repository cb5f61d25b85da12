"""A log for the whole team: the admin's record of recent changes by everyone (content and enquiries alike),
newest first, at /admin/team-log/, linked from the admin index for staff.

Read only, and filterable by person and by model. Each reader sees the entries of those models only that they may
view in the admin (an editor sees nothing of the enquiries), the object linked where they may open it, and what
changed in their own language. The page is added by wrapping the default site's get_urls(), as service.py does.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .history import relabelled

URL_NAME = "team_log"
PER_PAGE = 50


def may_view(request: HttpRequest, model) -> bool:
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        return model_admin.has_view_or_change_permission(request)
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def visible_types(request: HttpRequest) -> list[ContentType]:
    """The models with entries in the log that this reader may view, by name."""
    used = LogEntry.objects.values("content_type").distinct()
    types = [
        content_type
        for content_type in ContentType.objects.filter(pk__in=used)
        if content_type.model_class() is not None and may_view(request, content_type.model_class())
    ]
    return sorted(types, key=lambda t: str(capfirst(t.model_class()._meta.verbose_name_plural)))


def object_url(request: HttpRequest, entry: LogEntry) -> str | None:
    if entry.is_deletion():
        return None
    model = entry.content_type.model_class()
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        return None
    try:
        return entry.get_admin_url() or None
    except NoReverseMatch:
        return None


def in_readers_language(entry: LogEntry, model) -> str:
    entry.change_message = relabelled(entry, model)
    return entry.get_change_message()


def selected(request: HttpRequest, name: str, choices: set[int]) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value in choices else None


@require_GET
def team_log(request: HttpRequest) -> TemplateResponse:
    types = visible_types(request)
    entries = LogEntry.objects.filter(content_type__in=types).select_related("user", "content_type")
    people = get_user_model().objects.filter(pk__in=entries.values("user")).order_by("username")
    person = selected(request, "user", {p.pk for p in people})
    model = selected(request, "model", {t.pk for t in types})
    if person is not None:
        entries = entries.filter(user_id=person)
    if model is not None:
        entries = entries.filter(content_type_id=model)
    page = Paginator(entries.order_by("-action_time", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    rows = []
    for entry in page:
        model_class = entry.content_type.model_class()
        rows.append(
            {
                "entry": entry,
                "who": entry.user.get_full_name() or entry.user.get_username(),
                "model": capfirst(model_class._meta.verbose_name),
                "url": object_url(request, entry),
                "message": in_readers_language(entry, model_class),
            }
        )
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        **admin.site.each_context(request),
        "title": _("Team log"),
        "subtitle": None,
        "rows": rows,
        "page": page,
        "people": [(p.pk, p.get_full_name() or p.get_username()) for p in people],
        "models": [(t.pk, capfirst(t.model_class()._meta.verbose_name_plural)) for t in types],
        "person": person,
        "model": model,
        "query": query.urlencode(),
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/team_log.html", context)


def _with_team_log_url(get_urls):
    @wraps(get_urls)
    def get_urls_with_page():
        page = path("team-log/", admin.site.admin_view(team_log), name=URL_NAME)
        return [page, *get_urls()]

    return get_urls_with_page


admin.site.get_urls = _with_team_log_url(admin.site.get_urls)
admin.site.index_template = "admin/index_with_team_log.html"
