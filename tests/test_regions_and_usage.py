"""Countries and regions as the zone names them, and Chinese as a Chinese official site writes it."""

import csv
import gettext
import io
import re
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from promotion.models import Enquiry
from promotion.services import render_mail

from .factories import enquiry_form_data, make_enquiry

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CHANGELIST = reverse("admin:promotion_enquiry_changelist")
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
HEADERS = {"en": {"HTTP_ACCEPT_LANGUAGE": "en"}, "zh-hans": CHINESE}
FIRST = {
    "en": [("CN", "China"), ("HK", "Hong Kong SAR, China"), ("MO", "Macao SAR, China"), ("TW", "Taiwan, China")],
    "zh-hans": [("CN", "中国"), ("HK", "中国香港"), ("MO", "中国澳门"), ("TW", "中国台湾")],
}
HAN = r"\u3400-\u9fff\uf900-\ufaff"
# Chinese text: ideographs, CJK and full-width punctuation, Chinese quotation marks and dashes.
CJK = rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’—…]"
ASCII_PUNCTUATION = r"[,.:;!?()]"
NEXT_TO_CJK = re.compile(rf"{CJK} ?{ASCII_PUNCTUATION}|{ASCII_PUNCTUATION} ?{CJK}")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|%[sd]|\{[a-z_]*\}")


def ascii_punctuation_in_chinese(text: str) -> list[str]:
    """Where ASCII punctuation touches Chinese text (placeholders aside), with some context."""
    text = PLACEHOLDER.sub("X", text)
    return [text[max(m.start() - 6, 0) : m.end() + 6] for m in NEXT_TO_CJK.finditer(text)]


def country_options(client, language: str) -> list[tuple[str, str]]:
    body = client.get(f"/{language}/enquiry/").content.decode()
    select = re.search(r'<select name="country".*?</select>', body, re.S).group(0)
    return [(code, text) for code, text in re.findall(r'<option value="(\w*)"[^>]*>(.*?)</option>', select) if code]


def catalogue_entries() -> list[dict]:
    """The active entries of our catalogue: context, msgid and the msgstr lines."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fields, current = {}, None
        for line in block.splitlines():
            if match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries.append({"context": fields.get("msgctxt"), "msgid": fields["msgid"], "msgstrs": msgstrs})
    return entries


@pytest.fixture
def chinese_staff(staff_client):
    """A staff member whose browser asks for Chinese; the admin follows it."""
    staff_client.defaults.update(CHINESE)
    return staff_client


# --- Countries and regions ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_form_lists_china_first_then_its_regions(client, language):
    options = country_options(client, language)
    assert options[:4] == FIRST[language]
    codes = [code for code, _name in options]
    assert len(codes) == len(set(codes)) == 249, "each country or region once"


def test_the_english_form_names_no_region_as_a_country(client):
    names = {name for _code, name in country_options(client, "en")}
    assert not names & {"Taiwan", "Taiwan (Province of China)", "Hong Kong", "Macao"}


def test_every_name_on_the_chinese_form_is_chinese(client):
    options = country_options(client, "zh-hans")
    latin = [(code, name) for code, name in options if re.search(r"[A-Za-z]", name)]
    assert not latin
    assert ascii_punctuation_in_chinese(" ".join(name for _code, name in options)) == []
    names = dict(options)
    # Names django-countries' own Chinese catalogue lacks or gets wrong.
    assert (names["TR"], names["MK"], names["WS"], names["NP"], names["DM"]) == (
        "土耳其",
        "北马其顿",
        "萨摩亚",
        "尼泊尔",
        "多米尼克",
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_admin_list_and_filter_name_the_regions(staff_client, language):
    make_enquiry(country="TW")
    make_enquiry(country="HK")
    body = staff_client.get(CHANGELIST, **HEADERS[language]).content.decode()
    names = dict(FIRST[language])
    assert f'<td class="field-country_column">{names["TW"]}</td>' in body
    assert f'<td class="field-country_column">{names["HK"]}</td>' in body
    # The filter lists the countries that occur, China's regions in the order of the form.
    assert re.findall(r'<a href="\?country=(\w+)">(.*?)</a>', body) == [("HK", names["HK"]), ("TW", names["TW"])]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_admin_detail_names_the_region(staff_client, language):
    enquiry = make_enquiry(country="TW")
    url = reverse("admin:promotion_enquiry_change", args=[enquiry.pk])
    body = staff_client.get(url, **HEADERS[language]).content.decode()
    assert f'<div class="readonly">{dict(FIRST[language])["TW"]}</div>' in body


@pytest.mark.parametrize(("language", "column"), [("en", "Country or region"), ("zh-hans", "国家或地区")])
def test_the_csv_export_names_the_region(staff_client, language, column):
    enquiry = make_enquiry(country="MO")
    data = {"action": "export_csv", "_selected_action": [enquiry.pk]}
    response = staff_client.post(CHANGELIST, data, **HEADERS[language])
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert dict(zip(header, row, strict=True))[column] == dict(FIRST[language])["MO"]


def test_the_notification_mail_names_the_region():
    enquiry = make_enquiry(country="TW")
    _subject, english = render_mail("enquiry_notification", {"enquiry": enquiry, "admin_url": "x"}, "en")
    _subject, chinese = render_mail("enquiry_notification", {"enquiry": enquiry, "admin_url": "x"}, "zh-hans")
    assert "Country or region: Taiwan, China" in english
    assert "国家或地区：中国台湾" in chinese


# --- Chinese usage ------------------------------------------------------------------------------


def test_the_admin_history_button_is_djangos_own(chinese_staff):
    enquiry = make_enquiry()
    body = chinese_staff.get(reverse("admin:promotion_enquiry_change", args=[enquiry.pk])).content.decode()
    assert re.search(r'class="historylink">(.*?)</a>', body).group(1) == "历史"
    assert "发展历程" not in body
    # The About page keeps its own word for the zone's history.
    assert "发展历程" in chinese_staff.get("/zh-hans/about/").content.decode()


def test_a_persons_name_is_labelled_xingming(client, chinese_staff):
    form = client.get("/zh-hans/enquiry/").content.decode()
    assert re.search(r'<label\s+for="id_name"[^>]*>\s*姓名<', form)
    enquiry = make_enquiry()
    change = chinese_staff.get(reverse("admin:promotion_enquiry_change", args=[enquiry.pk])).content.decode()
    assert re.search(r"<label>姓名[:：]</label>", change)
    export = chinese_staff.post(CHANGELIST, {"action": "export_csv", "_selected_action": [enquiry.pk]})
    assert "姓名" in export.content.decode("utf-8-sig").splitlines()[0].split(",")


def test_statuses_read_as_a_government_service_desk_writes_them(chinese_staff):
    with translation.override("zh-hans"):
        labels = [str(label) for label in Enquiry.Status.labels]
    assert labels == ["待受理", "办理中", "待投资方回复", "深入洽谈", "已落地", "不再跟进", "垃圾信息"]
    make_enquiry()
    body = chinese_staff.get(CHANGELIST).content.decode()
    assert '<td class="field-status">待受理</td>' in body
    change = chinese_staff.get(reverse("admin:promotion_enquiry_change", args=[Enquiry.objects.get().pk]))
    assert re.search(r"<label[^>]*>受理时间[:：]</label>", change.content.decode())


def test_the_csv_export_reads_in_chinese(chinese_staff):
    enquiry = make_enquiry()
    response = chinese_staff.post(CHANGELIST, {"action": "export_csv", "_selected_action": [enquiry.pk]})
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    record = dict(zip(header, row, strict=True))
    assert (record["姓名"], record["状态"]) == ("Zhang San", "待受理")
    assert "受理时间" in record


def test_land_on_the_chinese_form_is_measured_in_mu(client):
    body = client.get("/zh-hans/enquiry/").content.decode()
    assert "例如：用地50亩，或厂房5000平方米。" in body


def test_chinese_mail_uses_full_width_punctuation(client, settings):
    settings.ENQUIRY_NOTIFY_EMAILS = ["promotion@zone.example.cn"]
    investor = {"name": "王芳", "organisation": "深圳某电子有限公司", "message": "我们计划投资建设LED照明项目。"}
    client.post("/zh-hans/enquiry/", enquiry_form_data(country="HK", **investor))
    enquiry = Enquiry.objects.get()
    acknowledgement = next(m for m in mail.outbox if m.to == [enquiry.email])
    assert f"咨询编号：{enquiry.reference}" in acknowledgement.body
    assert "受理时间：" in acknowledgement.body
    assert ascii_punctuation_in_chinese(acknowledgement.subject + acknowledgement.body) == []
    context = {"enquiry": enquiry, "admin_url": "https://zone.example.cn/admin/"}
    for template in ["enquiry_notification", "status_link"]:
        subject, body = render_mail(template, {**context, "status_url": "https://zone.example.cn/s/"}, "zh-hans")
        assert ascii_punctuation_in_chinese(subject + body) == [], template
    _subject, notification = render_mail("enquiry_notification", context, "zh-hans")
    assert re.search(r"优先级：[高中低]（\d+）", notification)


def test_chinese_reminders_use_full_width_punctuation():
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.create_user("owner", "owner@zone.example.cn", is_staff=True)
    enquiry = make_enquiry(owner=owner)
    context = {"owner": owner, "overdue": [enquiry], "follow_up": [enquiry], "total": 2, "site_url": "https://x"}
    _subject, body = render_mail("owner_reminder", context, "zh-hans")
    assert "答复期限：" in body and "跟进日期：" in body
    assert ascii_punctuation_in_chinese(body) == []


def test_the_chinese_error_summary_uses_a_full_width_colon(client):
    body = client.post("/zh-hans/enquiry/", enquiry_form_data(email="no")).content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', body, re.S).group(0)
    assert re.search(r'<a href="#id_email">电子邮箱：', summary)


def test_no_chinese_translation_has_ascii_punctuation_next_to_chinese_text():
    offending = {
        entry["msgid"]: hits
        for entry in catalogue_entries()
        for msgstr in entry["msgstrs"]
        if (hits := ascii_punctuation_in_chinese(msgstr.replace('\\"', '"')))
    }
    assert not offending


# Words we mean as Django does, where our Chinese differs in style only (电子邮箱 for 电子邮件,
# 英文 for 英语, IP地址 without a space).
SAME_MEANING = {"Email", "English", "IP address"}


def test_the_sites_words_never_replace_djangos_own():
    """Every word our catalogue has without a context, and Django or an installed app translates
    otherwise, is a word we mean differently: it needs a context of its own."""
    theirs: dict[str, set] = {}  # one app's word may differ from another's: ours must be one of them
    locale_dirs = [Path(django.__file__).parent / "conf" / "locale"]
    locale_dirs += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    for directory in locale_dirs:
        compiled = directory / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        if compiled.exists() and directory.resolve() != (Path(settings.BASE_DIR) / "locale").resolve():
            with compiled.open("rb") as file:
                for msgid, msgstr in gettext.GNUTranslations(file)._catalog.items():
                    theirs.setdefault(msgid, set()).add(msgstr)
    ours = {entry["msgid"]: entry["msgstrs"][0] for entry in catalogue_entries() if entry["context"] is None}
    replaced = {msgid for msgid, msgstr in ours.items() if msgid in theirs and msgstr not in theirs[msgid]}
    assert replaced <= SAME_MEANING, replaced - SAME_MEANING
    assert not {"History", "Name", "Filter", "Page not found", "Skip to main content"} & set(ours)
