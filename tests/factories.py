"""Small builders for enquiry tests; the zone's content itself comes from the fixtures."""

import time
from datetime import timedelta

from django.utils import timezone

from promotion.models import Enquiry, Industry, Park
from promotion.services import submit_enquiry
from promotion.spam import form_started_token


def enquiry_form_data(**overrides) -> dict:
    """What a person fills in; the form was opened a minute ago."""
    data = {
        "name": "Li Wei",
        "organisation": "Shenzhen Example Electronics Co., Ltd.",
        "email": "li.wei@example.com",
        "phone": "+86 755 1234 5678",
        "country": "CN",
        "industry": str(Industry.objects.get(slug="electronic-products").pk),
        "park": str(Park.objects.get(slug="electronics-park").pk),
        "investment_band": "100m_500m",
        "expected_jobs": "300",
        "space_needed": "30,000 m² of land",
        "timeline": "12m",
        "heard_from": "event",
        "message": "We plan an LED lighting plant and would like to know about land and the 8:2 policy.",
        "consent": "on",
        "website": "",
        "started": form_started_token(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_enquiry(**fields) -> Enquiry:
    values = {
        "name": "Zhang San",
        "organisation": "Example Auto Parts",
        "email": "zhang@example.com",
        "country": "CN",
        "industry": Industry.objects.get(slug="auto-parts"),
        "investment_band": "10m_50m",
        "timeline": "24m",
        "message": "Looking for a site.",
    }
    received_at = fields.pop("received_at", None)
    values.update(fields)
    enquiry = submit_enquiry(Enquiry(**values))
    if received_at is not None:
        due = received_at + (enquiry.reply_due_at - enquiry.received_at)
        Enquiry.objects.filter(pk=enquiry.pk).update(received_at=received_at, reply_due_at=due)
        enquiry.refresh_from_db()
    return enquiry


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)
