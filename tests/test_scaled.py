"""The scaled synthetic dataset `make bench` measures: built on top of the zone's fixtures, sound, and served."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from bench import data
from bench.scaled import build_scaled_data
from promotion.models import Enquiry, EnquiryNote, Enterprise, Industry, Park, Policy, Project
from promotion.services import OFFICERS_GROUP

pytestmark = pytest.mark.django_db

SMALL = {"parks": 15, "industries": 12, "enterprises": 300, "policies": 20, "projects": 30, "enquiries": 500}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SYNTHETIC_SLUGS = {
    Park: "industrial-park-",
    Industry: "industry-",
    Enterprise: "enterprise-",
    Policy: "policy-",
    Project: "project-",
}


@pytest.fixture
def scaled():
    fixture_parks = Park.objects.count()
    assert fixture_parks, "the test database holds the zone's fixtures"
    result = build_scaled_data(**SMALL, batch_size=200)
    assert result["added"]["parks"] == SMALL["parks"] - fixture_parks
    return result


def test_totals_reach_the_numbers_asked_for_on_top_of_the_fixtures(scaled):
    totals = scaled["totals"]
    for table, wanted in SMALL.items():
        assert totals[table] >= wanted, table
    assert Park.objects.filter(slug="coal-machinery-park").exists()  # the zone's own rows stay
    assert EnquiryNote.objects.count() == Enquiry.objects.count() == totals["enquiries"]
    officers = get_user_model().objects.filter(groups__name=OFFICERS_GROUP, is_staff=True)
    assert officers.count() >= 10


def test_running_again_adds_nothing(scaled):
    again = build_scaled_data(**SMALL, batch_size=200)
    assert not any(again["added"].values())
    assert again["totals"] == scaled["totals"]


def test_slugs_and_references_are_unique(scaled):
    for model in SYNTHETIC_SLUGS:
        slugs = list(model.objects.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)), model
    references = list(Enquiry.objects.values_list("reference", flat=True))
    assert None not in references
    assert len(references) == len(set(references))


def test_enquiries_look_like_those_the_form_makes(scaled):
    pledge = timedelta(days=settings.ENQUIRY_REPLY_WORKING_DAYS)
    now = timezone.now()
    enquiries = list(Enquiry.objects.select_related("industry__parent"))
    for enquiry in enquiries:
        assert enquiry.reference == f"HQ-{timezone.localdate(enquiry.received_at).year}-{enquiry.pk:05d}"
        assert enquiry.priority == enquiry.compute_priority()
        assert enquiry.reply_due_at == enquiry.received_at + pledge
        assert now - timedelta(days=3 * 365 + 1) < enquiry.received_at <= now
    statuses = Counter(enquiry.status for enquiry in enquiries)
    assert set(statuses) == set(Enquiry.Status.values)
    assert len({enquiry.country.code for enquiry in enquiries}) >= 12
    assert len({enquiry.owner_id for enquiry in enquiries}) >= 10
    assert len({enquiry.park_id for enquiry in enquiries}) >= 10
    assert {enquiry.received_at.year for enquiry in enquiries} >= {now.year - 2, now.year - 1, now.year}


def test_every_synthetic_park_has_one_to_three_industries(scaled):
    parks = Park.objects.filter(slug__startswith="industrial-park-").prefetch_related("industries")
    assert parks.count() == scaled["added"]["parks"]
    for park in parks:
        assert 1 <= len(park.industries.all()) <= 3, park.slug


def test_enterprises_are_spread_over_industries_and_parks(scaled):
    synthetic = Enterprise.objects.filter(slug__startswith="enterprise-")
    both = synthetic.exclude(industry=None).exclude(park=None).count()
    assert both > synthetic.count() / 2
    assert synthetic.values("industry").distinct().count() >= 8
    assert synthetic.values("park").distinct().count() >= 10
    assert Policy.objects.filter(slug__startswith="policy-", is_featured=False).exists()


@pytest.mark.parametrize(("model", "field"), [(Park, "name"), (Industry, "name"), (Enterprise, "name")])
def test_translated_fields_are_filled_in_both_languages(scaled, model, field):
    rows = model.objects.filter(slug__startswith=SYNTHETIC_SLUGS[model])
    assert rows.exists()
    for row in rows:
        english, chinese = getattr(row, f"{field}_en"), getattr(row, f"{field}_zh_hans")
        assert english and chinese and english != chinese
        assert getattr(row, field) == english
        assert not CHINESE.search(english) and CHINESE.search(chinese)
        assert row.summary_en and row.summary_zh_hans


def test_policies_and_projects_are_translated_too(scaled):
    for policy in Policy.objects.filter(slug__startswith="policy-"):
        assert policy.title_en and CHINESE.search(policy.title_zh_hans) and policy.description_zh_hans
    for project in Project.objects.filter(slug__startswith="project-"):
        assert project.name_en and CHINESE.search(project.name_zh_hans)


def test_public_pages_answer_on_the_scaled_data(scaled, client):
    park = Park.objects.filter(slug__startswith="industrial-park-").first()
    industry = Industry.objects.filter(slug__startswith="industry-").first()
    enterprise = Enterprise.objects.filter(slug__startswith="enterprise-").first()
    project = Project.objects.filter(slug__startswith="project-").first()
    policy = Policy.objects.filter(slug__startswith="policy-").first()
    busy = Industry.objects.filter(enterprises__isnull=False).first()
    addresses = [
        reverse("promotion:home"),
        reverse("promotion:park-list"),
        park.get_absolute_url(),
        reverse("promotion:industry-list"),
        industry.get_absolute_url(),
        reverse("promotion:enterprise-list"),
        reverse("promotion:enterprise-list") + f"?industry={busy.slug}&page=2",
        enterprise.get_absolute_url(),
        reverse("promotion:project-list"),
        project.get_absolute_url(),
        reverse("promotion:policy-list"),
        policy.get_absolute_url(),
        reverse("promotion:policy-detail", args=["tax-sharing"]) + "?tax=1000000",
        reverse("promotion:search") + "?q=Enterprise",
        reverse("promotion:enquiry"),
        "/zh-hans/",
        "/sitemap.xml",
    ]
    for address in addresses:
        assert client.get(address).status_code == 200, address
    page = client.get(park.get_absolute_url())
    assert park.name_en in page.content.decode()


def test_admin_enquiry_list_and_page_answer_on_the_scaled_data(scaled, staff_client):
    enquiry = Enquiry.objects.order_by("-received_at").first()
    assert staff_client.get(reverse("admin:promotion_enquiry_changelist")).status_code == 200
    found = staff_client.get(reverse("admin:promotion_enquiry_changelist"), {"q": enquiry.reference})
    assert enquiry.reference in found.content.decode()
    assert staff_client.get(reverse("admin:promotion_enquiry_change", args=[enquiry.pk])).status_code == 200


def test_the_command_prints_the_counts(capsys):
    assert data.main([f"--{table}={count}" for table, count in SMALL.items()]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^enquiries\s+500\s+500$", printed, re.MULTILINE), printed
    assert "Scaled dataset ready" in printed
