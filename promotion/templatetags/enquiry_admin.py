from datetime import timedelta

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .. import workdays
from ..models import Enquiry

register = template.Library()


@register.inclusion_tag("admin/_enquiry_dashboard.html", takes_context=True)
def enquiry_dashboard(context) -> dict:
    """Counts by status, new this week and overdue, for staff who may see enquiries."""
    user = context["request"].user
    if not user.has_perm("promotion.view_enquiry"):
        return {"show": False}
    counts = dict(Enquiry.objects.values_list("status").annotate(n=Count("id")).order_by())
    week_ago = timezone.now() - timedelta(days=7)
    return {
        "show": True,
        "changelist": reverse("admin:promotion_enquiry_changelist"),
        "by_status": [
            {"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Enquiry.Status.choices
        ],
        "this_week": Enquiry.objects.genuine().filter(received_at__gte=week_ago).count(),
        "week_ago": week_ago,
        "overdue": Enquiry.objects.overdue().count(),
        "calendar_unknown_years": workdays.unknown_years(),
    }
