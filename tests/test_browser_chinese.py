"""Reading and writing to the zone in Chinese, in a real browser."""

import re

import pytest
from django.core import mail

from promotion.models import Enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_switching_language_keeps_the_visitor_on_the_same_page(page, live_zone):
    page.goto(f"{live_zone.url}/en/parks/electronics-park/")
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url(f"{live_zone.url}/zh-hans/parks/electronics-park/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_zone.url}/en/parks/electronics-park/")


def test_the_calculator_works_in_chinese(page, live_zone):
    page.goto(f"{live_zone.url}/zh-hans/policies/tax-sharing/")
    page.locator("input[name=tax]").fill("1000000")
    assert page.locator("output[data-share=owner]").inner_text() == "800,000"
    assert page.locator("output[data-share=zone]").inner_text() == "200,000"


def test_a_chinese_enquiry_is_answered_in_chinese(page, live_zone):
    page.goto(f"{live_zone.url}/zh-hans/parks/electronics-park/")
    page.locator("a.btn-enquire", has_text=re.compile("咨询")).last.click()
    page.wait_for_url(re.compile(r"/zh-hans/enquiry/\?park=electronics-park"))
    page.locator("#id_name").fill("王芳")
    page.locator("#id_organisation").fill("深圳某电子有限公司")
    page.locator("#id_email").fill("wang.fang@example.cn")
    page.locator("#id_country").select_option("CN")
    page.locator("#id_industry").select_option(index=1)
    page.locator("#id_investment_band").select_option("50m_100m")
    page.locator("#id_timeline").select_option("6m")
    page.locator("#id_message").fill("我们计划投资建设LED照明项目，请介绍用地情况。")
    page.locator("#id_consent").check()
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/zh-hans/enquiry/sent/"))
    reference = page.locator(".enquiry-reference").inner_text()

    enquiry = Enquiry.objects.get(reference=reference)
    assert enquiry.language == "zh-hans"
    acknowledgement = next(m for m in mail.outbox if m.to == ["wang.fang@example.cn"])
    assert reference in acknowledgement.subject
    chinese = sum(1 for c in acknowledgement.body if "\u4e00" <= c <= "\u9fff")
    assert chinese > len(acknowledgement.body) * 0.2
