"""The conversation on an enquiry in a real browser, once in each language: an officer replies
from a snippet, the investor answers on the private page the mail links to, the case is closed,
the investor rates it low, the officer's desk shows it, and the public service record counts it."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from promotion.models import Enquiry, ReplySnippet

from .factories import make_enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEAM = "promotion@zone.example.cn"  # live_zone's ENQUIRY_NOTIFY_EMAILS

# What each side types and what each page and mail says, in the language of the journey. The
# admin speaks the browser's language (Accept-Language), the public pages their URL's.
JOURNEYS = {
    "en": {
        "locale": "en-GB",
        "investor": "Chen Jing",
        "organisation": "Guangzhou Example Appliances Co., Ltd.",
        "email": "chen.jing@example.com",
        "message": "A household appliance plant; please send land prices.",
        "officer_first": "Fang",
        "officer_last": "Wang",
        "officer_name": "Fang Wang",
        "typed": "Thank you for your enquiry, Ms Chen.",
        "answer": "Thank you. Could we visit plot A3 in May?",
        "comment": "The answer took too long to come.",
        "close_as": Enquiry.Status.LANDED,
        "send_enquiry": "Send enquiry",
        "log_in": "Log in",
        "your_desk": "Your desk",
        "go": "Go",
        "assigned": "1 enquiry assigned to you.",
        "enquiry_from": "Enquiry from Chen Jing",
        "insert": "Insert snippet",
        "preview": "Preview",
        "preview_heading": "Preview: the mail as it will be sent",
        "send_reply": "Send reply",
        "reply_sent": "Your reply was sent to chen.jing@example.com.",
        "reply_from": "Reply from Fang Wang",
        "reply_subject": "Reply to your enquiry {reference} from the Hongqi Canal ETDZ",
        "your_reference": "Your reference: {reference}",
        "status_heading": "Enquiry {reference}",
        "stage_awaiting": "We have replied and are waiting for your answer.",
        "stage_in_progress": "An investment-promotion officer is working on your enquiry.",
        "stage_concluded": "Your project has been agreed with the zone.",
        "reply_from_zone": "Reply from the zone · Fang Wang",
        "send_answer": "Send answer",
        "answer_thanks": "Thank you: your answer has been sent to the investment-promotion officer.",
        "answer_from_investor": "Answer from the investor",
        "save": "Save",
        "rate_heading": "Rate our service",
        "rating_2": "2 – Dissatisfied",
        "send_rating": "Send rating",
        "rating_thanks": "Thank you for rating our service.",
        "rated": "2 out of 5",
        "low_ratings": "Low ratings awaiting follow-up",
        "low_awaiting": "low, awaiting follow-up",
        "received": "Enquiries received",
        "answered": "Answered",
        "average_rating": "Average rating from investors",
        "too_few_ratings": "Too few ratings this year to show this figure.",
        "one_rating": "From 1 rating.",
    },
    "zh-hans": {
        "locale": "zh-CN",
        "investor": "王芳",
        "organisation": "深圳某电子有限公司",
        "email": "wang.fang@example.cn",
        "message": "我们计划投资建设LED照明项目，请介绍用地情况。",
        "officer_first": "李明",
        "officer_last": "",
        "officer_name": "李明",
        "typed": "王女士您好，感谢您的咨询。",
        "answer": "谢谢！我们五月份可以去看A3地块吗？",
        "comment": "答复来得太慢了。",
        "close_as": Enquiry.Status.NOT_PURSUED,
        "send_enquiry": "提交咨询",
        "log_in": "登录",
        "your_desk": "我的工作台",
        "go": "执行",
        "assigned": "已将1条咨询分配给您。",
        "enquiry_from": "王芳的咨询",
        "insert": "插入语段",
        "preview": "预览",
        "preview_heading": "预览：即将发送的邮件",
        "send_reply": "发送答复",
        "reply_sent": "答复已发送至wang.fang@example.cn。",
        "reply_from": "李明的答复",
        "reply_subject": "红旗渠经开区对您的投资咨询{reference}的答复",
        "your_reference": "咨询编号：{reference}",
        "status_heading": "投资咨询{reference}",
        "stage_awaiting": "我们已答复，正在等待您的回复。",
        "stage_in_progress": "招商人员正在办理您的咨询。",
        "stage_concluded": "本次咨询已办结。",
        "reply_from_zone": "开发区答复 · 李明",
        "send_answer": "发送回复",
        "answer_thanks": "感谢您的回复，已发送给招商人员。",
        "answer_from_investor": "投资方回复",
        "save": "保存",
        "rate_heading": "评价我们的服务",
        "rating_2": "2分：不满意",
        "send_rating": "提交评价",
        "rating_thanks": "感谢您对我们服务的评价。",
        "rated": "2分（满分5分）",
        "low_ratings": "待跟进的低分评价",
        "low_awaiting": "低分，待跟进",
        "received": "收到咨询",
        "answered": "已答复",
        "average_rating": "投资者平均评价",
        "too_few_ratings": "今年评价数量过少，暂不显示此项数据。",
        "one_rating": "共1条评价。",
    },
}

SNIPPET = {
    "title_en": "Land prices",
    "title_zh_hans": "土地价格",
    "body_en": "Industrial land in the Electronics Park costs 2,000 yuan per m², serviced.",
    "body_zh_hans": "电子产业园工业用地价格为每平方米2000元，七通一平。",
}


@pytest.fixture
def open_page(browser):
    """A page in a browser context of its own (its own cookies and Accept-Language), closed after the test."""
    contexts = []

    def open_page(locale: str):
        context = browser.new_context(locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def send_enquiry(page, base: str, lang: str, says: dict) -> str:
    page.goto(f"{base}/{lang}/enquiry/")
    page.locator("#id_name").fill(says["investor"])
    page.locator("#id_organisation").fill(says["organisation"])
    page.locator("#id_email").fill(says["email"])
    page.locator("#id_country").select_option("CN")
    page.locator("#id_industry").select_option(index=1)
    page.locator("#id_investment_band").select_option("100m_500m")
    page.locator("#id_timeline").select_option("12m")
    page.locator("#id_message").fill(says["message"])
    page.locator("#id_consent").check()
    page.get_by_role("button", name=says["send_enquiry"]).click()
    page.wait_for_url(re.compile(rf"/{lang}/enquiry/sent/"))
    return page.locator(".enquiry-reference").inner_text()


def figure(page, label: str):
    """A figure card of the service record, by its exact label."""
    return page.locator(".figure-card").filter(has=page.locator(".figure-label").get_by_text(label, exact=True))


@pytest.mark.parametrize("lang", JOURNEYS)
def test_an_officer_and_an_investor_converse_until_the_case_is_rated(lang, open_page, live_zone, settings):
    says = JOURNEYS[lang]
    base = live_zone.url
    settings.SITE_URL = base  # the mails' links lead to this live server
    status_link = re.compile(rf"{re.escape(base)}/{lang}/enquiry/status/[^/\s]+/")
    investor = open_page(says["locale"])
    desk = open_page(says["locale"])

    # The investor sends an enquiry from the public form; the acknowledgement has the private link.
    reference = send_enquiry(investor, base, lang, says)
    enquiry = Enquiry.objects.get(reference=reference)
    assert enquiry.language == lang
    (acknowledgement,) = mails_to(says["email"])
    assert status_link.search(acknowledgement.body)

    officer = User.objects.create_user(
        "officer",
        "officer@zone.example.cn",
        "officer-password",
        first_name=says["officer_first"],
        last_name=says["officer_last"],
        is_staff=True,
    )
    officer.groups.add(Group.objects.get(name="Promotion officers"))
    ReplySnippet.objects.create(**SNIPPET)
    snippet_title = SNIPPET["title_en" if lang == "en" else "title_zh_hans"]
    snippet_body = SNIPPET["body_en" if lang == "en" else "body_zh_hans"]

    # The officer logs in (the admin in the browser's language) and takes the enquiry.
    desk.goto(f"{base}{reverse('admin:index')}")
    desk.locator("#id_username").fill("officer")
    desk.locator("#id_password").fill("officer-password")
    desk.get_by_role("button", name=says["log_in"]).click()
    expect(desk.locator(".officer-desk caption")).to_have_text(says["your_desk"])
    desk.goto(f"{base}{reverse('admin:promotion_enquiry_changelist')}")
    desk.locator("#searchbar").fill(reference)
    desk.locator("#searchbar").press("Enter")
    desk.locator("#result_list tbody tr", has_text=reference).locator("input.action-select").check()
    desk.locator("select[name=action]").select_option("assign_to_me")
    desk.get_by_role("button", name=says["go"], exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text(says["assigned"])
    enquiry.refresh_from_db()
    assert enquiry.owner == officer

    # On the enquiry's page: the investor's message, then a reply typed and completed from the snippet.
    desk.get_by_role("link", name=reference).click()
    conversation = desk.locator("#conversation")
    expect(conversation).to_contain_text(says["enquiry_from"])
    expect(conversation).to_contain_text(says["message"])
    expect(desk.locator("#id_reply-language")).to_have_value(lang)
    desk.locator("#id_reply-body").fill(says["typed"])
    desk.locator("#id_reply-snippet").select_option(label=snippet_title)
    desk.get_by_role("button", name=says["insert"], exact=True).click()
    expect(desk.locator("#id_reply-body")).to_have_value(f"{says['typed']}\n\n{snippet_body}")

    desk.get_by_role("button", name=says["preview"], exact=True).click()
    preview = desk.locator("#reply-preview")
    expect(preview.get_by_role("heading")).to_have_text(says["preview_heading"])
    expect(preview.locator(".reply-preview-subject")).to_have_text(says["reply_subject"].format(reference=reference))
    expect(preview.locator(".reply-preview-body")).to_contain_text(snippet_body)
    expect(preview.locator(".reply-preview-body")).to_contain_text(says["officer_name"])
    expect(preview).to_contain_text(officer.email)  # Reply-To: the owner
    assert len(mails_to(says["email"])) == 1, "a preview sends nothing"

    desk.get_by_role("button", name=says["send_reply"], exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text(says["reply_sent"])
    reply_item = desk.locator("#conversation .enquiry-message-reply")
    expect(reply_item).to_contain_text(says["reply_from"])
    expect(reply_item).to_contain_text(snippet_body)
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.AWAITING_INVESTOR
    assert enquiry.first_reply_at is not None

    # The reply mail: the text as previewed, the reference, the private link; answers go to the owner.
    (reply,) = mails_to(says["email"])[1:]
    assert reply.subject == says["reply_subject"].format(reference=reference)
    assert says["typed"] in reply.body and snippet_body in reply.body and says["officer_name"] in reply.body
    assert says["your_reference"].format(reference=reference) in reply.body
    assert reply.reply_to == [officer.email]
    link = status_link.search(reply.body).group(0)

    # The investor follows the link, reads the reply and answers it.
    investor.goto(link)
    expect(investor.get_by_role("heading", level=1)).to_have_text(says["status_heading"].format(reference=reference))
    expect(investor.locator("dd.enquiry-stage")).to_have_text(says["stage_awaiting"])
    zone_reply = investor.locator(".enquiry-message-reply")
    expect(zone_reply.get_by_role("heading")).to_have_text(says["reply_from_zone"])
    expect(zone_reply).to_contain_text(snippet_body)
    investor.locator("#id_answer-body").fill(says["answer"])
    investor.get_by_role("button", name=says["send_answer"]).click()
    expect(investor.get_by_role("status")).to_have_text(says["answer_thanks"])
    expect(investor.locator(".enquiry-message-answer")).to_contain_text(says["answer"])
    expect(investor.locator("dd.enquiry-stage")).to_have_text(says["stage_in_progress"])

    # The owner is told by mail (the team's mails are in the site's language, English).
    (answer_mail,) = mails_to(officer.email)
    assert answer_mail.subject == f"Answer on enquiry {reference} from {says['organisation']}"
    assert says["answer"] in answer_mail.body

    # The officer sees the answer on the enquiry's page and closes the case.
    desk.reload()
    answer_item = desk.locator("#conversation .enquiry-message-answer")
    expect(answer_item).to_contain_text(says["answer_from_investor"])
    expect(answer_item).to_contain_text(says["answer"])
    desk.locator("#id_status").select_option(says["close_as"])
    desk.get_by_role("button", name=says["save"], exact=True).click()
    expect(desk.locator(".messagelist .success")).to_contain_text(reference)
    enquiry.refresh_from_db()
    assert enquiry.status == says["close_as"]

    # The private page now invites a rating instead of answers; the investor rates 2 with a comment.
    investor.goto(link)
    expect(investor.locator("dd.enquiry-stage")).to_have_text(says["stage_concluded"])
    expect(investor.locator("#answer")).to_have_count(0)
    rating_form = investor.locator("section#rating")
    expect(rating_form.get_by_role("heading")).to_have_text(says["rate_heading"])
    rating_form.get_by_label(says["rating_2"]).check()
    rating_form.locator("#id_rating-comment").fill(says["comment"])
    rating_form.get_by_role("button", name=says["send_rating"]).click()
    expect(investor.get_by_role("status")).to_have_text(says["rating_thanks"])
    expect(investor.locator("dd#rating")).to_have_text(says["rated"])
    expect(investor.locator("section#rating")).to_have_count(0)
    enquiry.refresh_from_db()
    assert (enquiry.rating, enquiry.rating_comment) == (2, says["comment"])
    low_rating_mail = mails_to(officer.email)[-1]
    assert reference in low_rating_mail.subject and TEAM in low_rating_mail.to

    # The low rating waits on the officer's desk, and leads to the enquiry with the comment.
    desk.goto(f"{base}{reverse('admin:index')}")
    low_row = desk.locator(".officer-desk tr", has_text=says["low_ratings"])
    expect(low_row.locator("td")).to_have_text("1")
    low_row.get_by_role("link").click()
    desk.locator("#result_list").get_by_role("link", name=reference).click()
    rating_box = desk.locator(".enquiry-rating")
    expect(rating_box).to_contain_text(says["low_awaiting"])
    expect(rating_box).to_contain_text(says["comment"])

    # The public service record counts it, with four more enquiries to pass the fewer-than-5 rule.
    for number in range(4):
        make_enquiry(email=f"investor{number}@example.com")
    investor.goto(f"{base}/{lang}/service/")
    expect(figure(investor, says["received"]).locator(".figure-value")).to_have_text("5")
    expect(figure(investor, says["answered"]).locator(".figure-value")).to_have_text("1")
    rating_card = figure(investor, says["average_rating"])
    expect(rating_card).to_contain_text(says["too_few_ratings"])
    expect(rating_card).to_contain_text(says["one_rating"])
    this_month = investor.locator(".service-table tbody tr").last.locator("td")
    expect(this_month.nth(0)).to_have_text("5")
    expect(this_month.nth(1)).to_have_text("1")
