"""Every public page makes at most 10 SQL queries, and no more on a hundredfold dataset; the
admin enquiry list at most 12. Each count is measured on the shipped fixtures and again after
scaling the data up, so an N+1 query shows as a difference."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.scaled import build_scaled_data
from promotion.models import Enquiry, Enterprise, Industry, Park, Policy, Project

pytestmark = pytest.mark.django_db

PUBLIC_BUDGET = 10
ADMIN_LIST_BUDGET = 12


def public_pages() -> list[str]:
    industry = Industry.objects.get(slug="steel")
    return [
        "/en/",
        "/en/about/",
        "/en/figures/",
        "/en/parks/",
        Park.objects.get(slug="electronics-park").get_absolute_url(),
        "/en/industries/",
        industry.get_absolute_url(),
        "/en/enterprises/",
        f"/en/enterprises/?industry={industry.slug}&page=2",
        Enterprise.objects.get(slug="henan-fengbao-special-steel").get_absolute_url(),
        "/en/projects/",
        Project.objects.get(slug="shenzhou-power-lithium-batteries").get_absolute_url(),
        "/en/policies/",
        Policy.objects.get(slug="tax-sharing").get_absolute_url() + "?tax=1000000",
        "/en/environment/",
        "/en/innovation/",
        "/en/search/?q=steel",
        "/en/open-data/",
        "/en/enquiry/?park=electronics-park",
        "/en/privacy/",
        "/zh-hans/",
    ]


def count_queries(client, path: str) -> int:
    from django.core.cache import cache

    cache.clear()  # measure the page as built, not as served from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def admin_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:promotion_enquiry_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_public_pages_keep_their_query_count_as_the_data_grows_a_hundredfold(client):
    paths = public_pages()
    on_fixtures = {path: count_queries(client, path) for path in paths}
    build_scaled_data(parks=40, industries=30, enterprises=600, policies=30, projects=60, enquiries=0)
    on_scaled = {path: count_queries(client, path) for path in paths}
    assert max(on_fixtures.values()) <= PUBLIC_BUDGET, on_fixtures
    assert on_scaled == on_fixtures


def test_admin_enquiry_list_has_no_n_plus_one(staff_client):
    build_scaled_data(parks=0, industries=0, enterprises=0, policies=0, projects=0, enquiries=20, officers=3)
    few = admin_list_queries(staff_client)
    build_scaled_data(parks=0, industries=0, enterprises=0, policies=0, projects=0, enquiries=400, officers=3)
    assert Enquiry.objects.count() >= 400
    many = admin_list_queries(staff_client)
    assert few <= ADMIN_LIST_BUDGET and many == few, (few, many)


def test_enquiry_change_page_is_bounded(staff_client):
    build_scaled_data(parks=0, industries=0, enterprises=0, policies=0, projects=0, enquiries=50, notes_per_enquiry=3)
    enquiry = Enquiry.objects.exclude(notes=None).first()
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:promotion_enquiry_change", args=[enquiry.pk]))
    assert response.status_code == 200
    assert len(queries) <= ADMIN_LIST_BUDGET
