"""The enquiry journey in a real browser, from a park page to a lead exported by an officer."""

import csv
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from promotion.models import Enquiry, EnquiryNote, Park

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_enquiry(page) -> None:
    page.get_by_label("Your name").fill("Chen Jing")
    page.get_by_label("Company or organisation").fill("Guangzhou Example Appliances Co., Ltd.")
    page.get_by_label("Email").fill("chen.jing@example.com")
    page.get_by_label("Country or region").select_option("CN")
    page.get_by_label("Industry of interest").select_option(label="Electronic Products and Appliances")
    page.get_by_label("Intended investment").select_option("100m_500m")
    page.get_by_label("When do you plan to invest?").select_option("12m")
    page.get_by_label("Your project and your questions").fill("A household appliance plant; please send land prices.")
    page.get_by_label(re.compile("I have read the privacy notice")).check()


def test_investor_enquires_from_a_park_and_an_officer_handles_it(page, live_zone, tmp_path):
    page.goto(f"{live_zone.url}/en/parks/electronics-park/")
    page.get_by_role("link", name="Enquire about this park").click()
    park = Park.objects.get(slug="electronics-park")
    assert page.get_by_label("Park of interest (optional)").input_value() == str(park.pk)

    fill_enquiry(page)
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url(re.compile(r"/en/enquiry/sent/"))
    reference = page.locator(".enquiry-reference").inner_text()
    assert re.fullmatch(r"HQ-\d{4}-\d{5}", reference)

    enquiry = Enquiry.objects.get(reference=reference)
    assert (enquiry.park, enquiry.email, enquiry.status) == (park, "chen.jing@example.com", "new")
    assert len(mail.outbox) == 2
    assert all(reference in message.subject and reference in message.body for message in mail.outbox)

    officer = User.objects.create_user("officer", "officer@zone.example.cn", "officer-password", is_staff=True)
    officer.groups.add(Group.objects.get(name="Promotion officers"))
    page.goto(f"{live_zone.url}/admin/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("officer-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Enquiries", exact=True).first.click()
    page.locator("#searchbar").fill(reference)
    page.locator("#searchbar").press("Enter")
    row = page.locator("#result_list tbody tr", has_text=reference)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("assign_to_me")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 enquiry assigned to you.").wait_for()
    enquiry.refresh_from_db()
    assert enquiry.owner == officer

    page.get_by_role("link", name=reference).click()
    page.locator("textarea[name='notes-0-text']").fill("Phoned Ms Chen; land price list sent.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    note = EnquiryNote.objects.get(enquiry=enquiry)
    assert (note.author, note.text) == (officer, "Phoned Ms Chen; land price list sent.")

    page.locator("#searchbar").fill(reference)
    page.locator("#searchbar").press("Enter")
    page.locator("#result_list tbody tr", has_text=reference).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("export_csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Go").click()
    path = tmp_path / "export.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [row["Reference"] for row in rows] == [reference]
    assert rows[0]["Owner"] == "officer"
