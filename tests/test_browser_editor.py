"""A content editor corrects a key figure in a real browser: the readback follows the typing in both
languages, the public home page shows the new figure, and restoring the earlier version from the
figure's history brings the old one back."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import expect

from promotion.models import KeyFigure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLUG = "main-business-income-2015"


def expect_home_figure(browser, base_url: str, english: str, chinese: str) -> None:
    """The home page as a visitor sees it, in a browser of their own (one that saw the page may
    keep it for PAGE_BROWSER_CACHE_SECONDS)."""
    context = browser.new_context()
    visitor = context.new_page()
    for language, amount in (("en", english), ("zh-hans", chinese)):
        visitor.goto(f"{base_url}/{language}/")
        expect(visitor.locator(f"#{SLUG} .figure-value")).to_have_text(amount)
    context.close()


def test_an_editor_corrects_a_figure_and_restores_the_earlier_version(browser, page, live_zone):
    editor = User.objects.create_user("zhaolei", "zhaolei@zone.example.cn", "editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    figure = KeyFigure.objects.get(slug=SLUG)
    assert (int(figure.value), figure.year, float(figure.growth_percent)) == (61_000_000_000, 2015, 10.3)

    page.goto(f"{live_zone.url}{reverse('admin:promotion_keyfigure_change', args=(figure.pk,))}")
    page.get_by_label("Username").fill("zhaolei")
    page.get_by_label("Password").fill("editor-password")
    page.get_by_role("button", name="Log in").click()
    readback = page.locator(".figure-readback[data-readback-url]")
    expect(readback.locator("[lang=en]")).to_contain_text("61 billion yuan")
    expect(readback.locator("[lang=zh-hans]")).to_contain_text("610亿元")

    # The first save keeps a version of the figure as it was; the correction is the second.
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    page.locator("#id_value").fill("62300000000")
    expect(readback.locator("[lang=en]")).to_contain_text("62.3 billion yuan")
    expect(readback.locator("[lang=zh-hans]")).to_contain_text("623亿元")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_text("was changed successfully").wait_for()
    figure.refresh_from_db()
    assert int(figure.value) == 62_300_000_000

    expect_home_figure(browser, live_zone.url, "62.3 billion yuan", "623亿元")

    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("zhaolei")
    history.first.get_by_role("link", name="Compare with the version before").click()
    differences = page.locator("#version-differences")
    expect(differences).to_contain_text(re.compile(r"61000000000(\.00)?"))
    expect(differences).to_contain_text(re.compile(r"62300000000(\.00)?"))
    page.get_by_role("link", name="Restore the version before").click()
    expect(page.locator("#id_value")).to_have_value(re.compile(r"^61000000000(\.00?)?$"))
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    figure.refresh_from_db()
    assert int(figure.value) == 61_000_000_000

    expect_home_figure(browser, live_zone.url, "61 billion yuan", "610亿元")
