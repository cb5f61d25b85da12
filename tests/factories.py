"""Small builders: content a behaviour test makes for itself, and enquiries.

The fixtures carry the zone's real content; tests of what that content says read it there. A test of how
a page, a filter or the search behaves builds the objects it looks for here, so that an editor rewording
the fixtures cannot break it.
"""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from modeltranslation.translator import translator

from promotion.models import Enquiry, Enterprise, Highlight, Honour, Industry, Milestone, Park, Policy, Project
from promotion.services import status_token, submit_enquiry
from promotion.spam import form_started_token


def enquiry_form_data(**overrides) -> dict:
    """What a person fills in; the form was opened a minute ago. Unless given, the industry and the park are
    the first the database holds (made here if it holds none)."""
    data = {
        "name": "Li Wei",
        "organisation": "Shenzhen Example Electronics Co., Ltd.",
        "email": "li.wei@example.com",
        "phone": "+86 755 1234 5678",
        "country": "CN",
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
    if "industry" not in data:
        data["industry"] = str((Industry.objects.order_by("pk").first() or make_industry()).pk)
    if "park" not in data:
        data["park"] = str((Park.objects.order_by("pk").first() or make_park()).pk)
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
    enquiry = submit_enquiry(Enquiry(**values), address=values.get("ip_address"), limited=False)
    if received_at is not None:
        due = received_at + (enquiry.reply_due_at - enquiry.received_at)
        Enquiry.objects.filter(pk=enquiry.pk).update(received_at=received_at, reply_due_at=due)
        enquiry.refresh_from_db()
    return enquiry


def status_path(enquiry: Enquiry) -> str:
    """The enquiry's private status page, in its own language."""
    with translation.override(enquiry.language):
        return reverse("promotion:enquiry-status", kwargs={"token": status_token(enquiry)})


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def make_content(model, **fields):
    """A saved object of a content model. A translated field given once (name="…") is written in both
    languages; give name_zh_hans="…" to tell them apart. A slug, where the model has one, comes from the name
    or title."""
    translated = translator.get_options_for_model(model).fields
    for field in [f for f in fields if f in translated]:
        value = fields.pop(field)
        fields.setdefault(f"{field}_en", value)
        fields.setdefault(f"{field}_zh_hans", value)
    if any(field.name == "slug" for field in model._meta.fields):
        fields.setdefault("slug", slugify(fields.get("name_en") or fields.get("title_en")))
    return model.objects.create(**fields)


def make_industry(name: str = "Precision Casting", **fields) -> Industry:
    fields = {"summary": f"{name} for testing.", "description": f"What {name} makes.", **fields}
    return make_content(Industry, name=name, **fields)


def make_park(name: str = "Test Valley Park", industries=(), **fields) -> Park:
    fields = {"summary": f"{name} for testing.", "description": f"Where {name} lies.", **fields}
    park = make_content(Park, name=name, **fields)
    park.industries.set(industries)
    return park


def make_enterprise(name: str = "Test Works Co., Ltd.", *, industry=None, park=None, **fields) -> Enterprise:
    fields = {"summary": f"{name} makes things.", **fields}
    return make_content(Enterprise, name=name, industry=industry, park=park, **fields)


def make_project(name: str = "Test Plant", **fields) -> Project:
    fields = {"summary": f"{name}: a project.", "status": Project.Status.SIGNED, **fields}
    return make_content(Project, name=name, **fields)


def make_policy(title: str = "Test Incentive", **fields) -> Policy:
    fields = {"summary": f"{title} in short.", "description": f"{title} in full.", **fields}
    fields.setdefault("kind", Policy.Kind.INCENTIVE)
    return make_content(Policy, title=title, **fields)


def make_milestone(title: str = "Test Milestone", year: int = 2016, **fields) -> Milestone:
    fields = {"description": f"{title}: what happened.", **fields}
    return make_content(Milestone, title=title, year=year, **fields)


def make_honour(title: str = "Test Honour", **fields) -> Honour:
    fields = {"years": "2016", "description": f"Why {title} was awarded.", **fields}
    return make_content(Honour, title=title, **fields)


def make_highlight(title: str = "Test Highlight", **fields) -> Highlight:
    fields = {"topic": Highlight.Topic.INNOVATION, "body": f"{title} in a few words.", **fields}
    return make_content(Highlight, title=title, **fields)
