"""The service record per officer, for staff: a page of the admin at promotion/service-record/,
listed among the promotion app's models for staff who may view enquiries.

The admin site is the default one (zone_site/urls.py mounts admin.site.urls), so the page is
added by wrapping that site's get_urls() and get_app_list() here, once, at autodiscovery; no
model (and no migration) stands behind it.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..service_record import officer_figures

URL_NAME = "promotion_service_record"
PERMISSION = "promotion.view_enquiry"


@require_GET
def officer_service_record(request: HttpRequest) -> TemplateResponse:
    """This year's service record per officer: enquiries owned, answered, median time to first
    reply, share answered by the promised date and average rating."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    year, officers, total = officer_figures()
    context = {
        **admin.site.each_context(request),
        "title": _("Service record by officer"),
        "subtitle": None,
        "year": year,
        "officers": officers,
        "total": total,
        "public_url": reverse("promotion:service-record"),
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/promotion/service_record.html", context)


def _with_service_record_url(get_urls):
    @wraps(get_urls)
    def get_urls_with_page():
        page = path("promotion/service-record/", admin.site.admin_view(officer_service_record), name=URL_NAME)
        return [page, *get_urls()]

    return get_urls_with_page


def _with_service_record_entry(get_app_list):
    @wraps(get_app_list)
    def get_app_list_with_page(request, app_label=None):
        app_list = get_app_list(request, app_label)
        if not request.user.has_perm(PERMISSION):
            return app_list
        for app in app_list:
            if app["app_label"] == "promotion":
                app["models"].append(
                    {
                        "name": _("Service record by officer"),
                        "object_name": "ServiceRecord",
                        "admin_url": reverse(f"admin:{URL_NAME}", current_app=admin.site.name),
                        "add_url": None,
                        "perms": {"view": True},
                        "view_only": True,
                    }
                )
                app["models"].sort(key=lambda model: str(model["name"]))
        return app_list

    return get_app_list_with_page


admin.site.get_urls = _with_service_record_url(admin.site.get_urls)
admin.site.get_app_list = _with_service_record_entry(admin.site.get_app_list)
