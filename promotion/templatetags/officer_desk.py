"""The admin as a promotion officer's desk: what waits for them on the index, and who changed an
enquiry and when on its page."""

import json

from django import template
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..admin.enquiry_filters import LOW_RATINGS, OwnerFilter, ResponseFilter, StatusFilter, has_low_ratings, person
from ..admin.history import relabelled
from ..history import SITE_ACCOUNT
from ..models import Enquiry
from .enquiry_admin import enquiry_dashboard

register = template.Library()

HISTORY_LENGTH = 10


def desk_rows(user) -> list[dict]:
    """Each row: a label, its count, and the enquiry list filtered to exactly the enquiries counted."""
    enquiries = Enquiry.objects.all()
    mine = {OwnerFilter.parameter_name: OwnerFilter.ME}
    rows = [
        ("mine-open", pgettext_lazy("enquiries", "My open enquiries"), enquiries.open().filter(owner=user),
         {**mine, StatusFilter.parameter_name: StatusFilter.OPEN}),
        ("mine-follow-up", _("Mine due for follow-up"), enquiries.follow_up_due().filter(owner=user),
         {**mine, ResponseFilter.parameter_name: ResponseFilter.FOLLOW_UP}),
        ("mine-awaiting-reply", _("Mine awaiting a first reply"), enquiries.awaiting_first_reply().filter(owner=user),
         {**mine, ResponseFilter.parameter_name: ResponseFilter.AWAITING_REPLY}),
        ("unassigned-overdue", _("Unassigned and overdue"), enquiries.overdue().filter(owner=None),
         {OwnerFilter.parameter_name: OwnerFilter.NOBODY, ResponseFilter.parameter_name: ResponseFilter.OVERDUE}),
    ]  # fmt: skip
    if has_low_ratings():
        rows.append(
            ("low-ratings", _("Low ratings awaiting follow-up"), getattr(enquiries, LOW_RATINGS)(),
             {ResponseFilter.parameter_name: ResponseFilter.LOW_RATING})
        )  # fmt: skip
    changelist = reverse("admin:promotion_enquiry_changelist")
    return [
        {"key": key, "label": label, "count": queryset.count(), "url": f"{changelist}?{urlencode(query)}"}
        for key, label, queryset, query in rows
    ]


def history_notes(entry: LogEntry) -> list[str]:
    """Why a change was made, where record_change() was told (stored in English)."""
    if not entry.change_message.startswith("["):
        return []
    try:
        messages = json.loads(entry.change_message)
    except json.JSONDecodeError:
        return []
    return [message["note"] for message in messages if isinstance(message, dict) and message.get("note")]


@register.inclusion_tag("admin/_enquiry_dashboard.html", takes_context=True)
def officer_dashboard(context) -> dict:
    """The team's counts (enquiry_dashboard), and above them what waits for the signed-in officer."""
    dashboard = enquiry_dashboard(context)
    if dashboard.get("show"):
        dashboard["desk"] = desk_rows(context["request"].user)
    return dashboard


@register.simple_tag(takes_context=True)
def enquiry_history(context, enquiry: Enquiry) -> dict:
    """The latest changes of an enquiry (who, when, which fields, why) and the link to its full history."""
    request = getattr(context, "request", None) or context.get("request")  # also under {% include … only %}
    user = request.user
    if enquiry is None or enquiry.pk is None or not user.has_perm("promotion.view_enquiry"):
        return {"entries": [], "url": ""}
    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Enquiry), object_id=str(enquiry.pk))
        .select_related("user")
        .order_by("-action_time", "-pk")[:HISTORY_LENGTH]
    )
    for entry in entries:
        automatic = entry.user.get_username() == SITE_ACCOUNT
        entry.who = gettext("The site (no officer)") if automatic else person(entry.user)
        notes = [gettext(note) for note in history_notes(entry)]
        entry.change_message = relabelled(entry, Enquiry)
        entry.what = " ".join([entry.get_change_message(), *notes])
    return {"entries": entries, "url": reverse("admin:promotion_enquiry_history", args=[enquiry.pk])}
