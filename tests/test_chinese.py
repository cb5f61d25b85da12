"""The whole site in Simplified Chinese: pages, forms, mail and the admin."""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from promotion.models import Enquiry

from .factories import enquiry_form_data
from .html import parse
from .test_journey import sitemap_paths

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Words that stay the same in both languages, or are names of a language.
SAME_IN_BOTH = {"English", "CSV", "JSON", "HQ", "km²", "m²"}


def visible_text(content: bytes) -> str:
    page = parse(content)
    return " ".join(" ".join(page.text).split())


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha() or CJK.match(c)]
    return sum(1 for c in letters if CJK.match(c)) / max(len(letters), 1)


def english_interface_strings() -> list[str]:
    """The English msgids of the catalogue that a reader would see as English words."""
    text = CATALOGUE.read_text(encoding="utf-8")
    msgids = re.findall(r'^msgid "(.+)"$', text, flags=re.MULTILINE)
    return [m for m in msgids if len(m) >= 4 and " " in m and "%(" not in m and "{" not in m and m not in SAME_IN_BOTH]


def chinese_paths(client) -> list[str]:
    return [path for path in sitemap_paths(client) if path.startswith("/zh-hans/")]


def test_every_chinese_page_is_predominantly_chinese(client):
    for path in chinese_paths(client):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        share = cjk_share(visible_text(response.content))
        assert share > 0.3, (path, round(share, 2))


def test_no_chinese_page_shows_english_interface_strings(client):
    strings = english_interface_strings()
    assert len(strings) > 100
    for path in chinese_paths(client):
        text = visible_text(client.get(path).content)
        shown = [s for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        assert not shown, (path, shown[:5])


def test_root_follows_the_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW")["Location"] in ("/zh-hans/", "/en/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/en/"


def test_language_switch_keeps_the_page_and_its_query(client):
    body = client.get("/en/enterprises/", {"industry": "steel"}).content.decode()
    assert 'href="/zh-hans/enterprises/?industry=steel"' in body
    body = client.get("/zh-hans/parks/electronics-park/").content.decode()
    assert 'href="/en/parks/electronics-park/"' in body


def test_pages_declare_their_language_and_alternates(client, settings):
    body = client.get("/zh-hans/about/").content.decode()
    assert '<html lang="zh-Hans">' in body
    assert f'hreflang="en" href="{settings.SITE_URL}/en/about/"' in body
    assert f'hreflang="zh-Hans" href="{settings.SITE_URL}/zh-hans/about/"' in body


@pytest.mark.parametrize("path", ["/zh-hans/", "/zh-hans/about/"])
def test_key_figures_appear_on_the_chinese_home_and_about_pages(client, path):
    text = re.sub(r"<[^>]+>", "", client.get(path).content.decode())  # as read: "12万人", not "12 万人"
    if path == "/zh-hans/":
        for figure in ["610", "亿元", "27.05", "平方公里", "419", "12万", "同比增长10.3%", "10.4亿元"]:
            assert figure in text, figure
    else:
        for figure in ["1200亿元", "610亿元", "2012年10月", "1992"]:
            assert figure in text, figure


def test_chinese_enquiry_form_errors_success_and_acknowledgement(client, settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    with translation.override("zh-hans"):
        url = reverse("promotion:enquiry")
    assert url == "/zh-hans/enquiry/"
    invalid = client.post(url, enquiry_form_data(email="no", consent=None))
    assert invalid.status_code == HTTPStatus.OK
    errors = " ".join(str(e) for field in invalid.context["form"].errors.values() for e in field)
    assert cjk_share(errors) > 0.5, errors

    response = client.post(url, enquiry_form_data())
    assert response["Location"].startswith("/zh-hans/enquiry/sent/")
    assert cjk_share(visible_text(client.get(response["Location"]).content)) > 0.3
    enquiry = Enquiry.objects.get()
    assert enquiry.language == "zh-hans"
    acknowledgement = next(m for m in mail.outbox if m.to == [enquiry.email])
    assert enquiry.reference in acknowledgement.subject
    assert cjk_share(acknowledgement.subject + acknowledgement.body) > 0.3
    assert "/zh-hans/enquiry/status/" in acknowledgement.body


def test_admin_follows_the_staff_members_browser_language(client):
    chinese = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录" in chinese and "Log in" in english
