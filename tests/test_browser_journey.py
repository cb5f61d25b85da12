"""The investor's journey in a real browser: from the home page to a park and the enquiry form, the enterprise
filter, the tax calculator with and without JavaScript, the search, the phone menu, and every public page
loading cleanly from the site's own origin."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from promotion.models import Park

from .factories import make_enterprise, make_industry, make_park
from .test_accessibility import live_sitemap_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 740}
TAX_LABEL = "Annual tax paid by the project (yuan)"
# The 8:2 split is between the village or town that introduced the project and the zone, never the investor.
TOWN_SHARE = "Village or town that introduced the project (80 %)"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query, keep_blank_values=True)


def listed_enterprises(page) -> list[str]:
    return page.locator("main article .card-title").all_inner_texts()


def test_from_a_featured_park_on_the_home_page_to_an_enquiry_about_it(page, live_zone):
    page.goto(f"{live_zone.url}/en/")
    card_link = page.get_by_role("region", name="Featured parks").locator(".card-title a").first
    park_name = card_link.inner_text()
    card_link.click()
    page.wait_for_url(re.compile(r"/en/parks/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(park_name)
    park = Park.objects.get(slug=urlparse(page.url).path.split("/")[-2])

    page.get_by_role("link", name="Enquire about this park").click()
    page.wait_for_url(re.compile(r"/en/enquiry/\?park="))
    choice = page.get_by_label("Park of interest (optional)")
    assert choice.input_value() == str(park.pk)
    assert choice.evaluate("select => select.selectedOptions[0].textContent.trim()") == park_name


def test_enterprise_filter_by_industry_then_by_park(page, live_zone):
    alloys, cement = make_industry("Vanadium Alloys"), make_industry("Portland Cement")
    north = make_park("North Foundry Park")
    foundry = make_enterprise("Qinling Vanadium Works Co., Ltd.", industry=alloys, park=north)
    trader = make_enterprise("Vanadium Trading Co., Ltd.", industry=alloys)
    glassworks = make_enterprise("Clearwater Glass Co., Ltd.", park=north)
    page.goto(f"{live_zone.url}/en/enterprises/")
    everyone = listed_enterprises(page)
    page.get_by_label("Industry", exact=True).select_option(label=alloys.name)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"industry={alloys.slug}"))
    assert query(page.url)["industry"] == [alloys.slug]
    assert sorted(listed_enterprises(page)) == sorted([foundry.name, trader.name])
    expect(page.get_by_label("Industry", exact=True)).to_have_value(alloys.slug)  # the choice survives the reload

    page.get_by_label("Industry", exact=True).select_option("")
    page.get_by_label("Park", exact=True).select_option(north.slug)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"park={north.slug}"))
    assert query(page.url)["park"] == [north.slug] and query(page.url)["industry"] == [""]
    assert sorted(listed_enterprises(page)) == sorted([foundry.name, glassworks.name])

    page.get_by_label("Industry", exact=True).select_option(label=cement.name)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"industry={cement.slug}&park={north.slug}"))
    assert listed_enterprises(page) == []
    expect(page.get_by_text("No enterprise matches this filter.")).to_be_visible()
    page.get_by_role("link", name="Show all enterprises").click()
    page.wait_for_url(re.compile(r"/en/enterprises/$"))
    assert listed_enterprises(page) == everyone


def test_tax_calculator_answers_as_you_type(page, live_zone):
    page.goto(f"{live_zone.url}/en/policies/tax-sharing/")
    expect(page.locator(".tax-result dt").first).to_have_text(TOWN_SHARE)
    field = page.get_by_label(TAX_LABEL)
    field.press_sequentially("1000000")
    expect(page.locator("output[data-share=owner]")).to_have_text("800,000")
    expect(page.locator("output[data-share=zone]")).to_have_text("200,000")
    assert "tax=" not in page.url  # nothing was sent
    field.fill("")
    expect(page.locator("output[data-share=owner]")).to_have_text("")


def test_tax_calculator_works_without_javascript(browser, live_zone):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_zone.url}/en/policies/tax-sharing/")
        page.get_by_label(TAX_LABEL).fill("1000000")
        expect(page.locator("output[data-share=owner]")).to_have_text("")  # no script to fill it in
        page.get_by_role("button", name="Calculate").click()
        page.wait_for_url(re.compile(r"tax=1000000"))
        expect(page.locator("output[data-share=owner]")).to_have_text("800,000")
        expect(page.locator("output[data-share=zone]")).to_have_text("200,000")
        expect(page.locator(".tax-result dt").first).to_have_text(TOWN_SHARE)
        expect(page.get_by_label(TAX_LABEL)).to_have_value("1000000")
    finally:
        context.close()


def test_header_search_finds_an_enterprise_and_opens_its_page(page, live_zone):
    works = make_enterprise("Qinling Vanadium Works Co., Ltd.")
    page.goto(f"{live_zone.url}/en/parks/")
    header = page.locator("header.site-header")
    header.get_by_label("Search the site").fill("vanadium")
    header.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/en/search/\?q=vanadium"))
    result = page.locator("main").get_by_role("link", name=works.name, exact=True)
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(re.compile(rf"/en/enterprises/{works.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(works.name)


def test_phone_menu_opens_and_is_keyboard_reachable_without_javascript(browser, live_zone):
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_zone.url}/en/")
        menu = page.locator("details.site-menu")
        links = menu.locator("nav a")
        assert links.count() == 7
        expect(page.locator(".desktop-nav")).to_be_hidden()
        expect(links.first).to_be_hidden()

        for _ in range(15):  # the skip link, the site name, search, language, enquiry ... then the menu
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        else:
            pytest.fail("the Menu summary is not reachable with Tab")
        expect(menu.locator("summary")).to_have_text("Menu")
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("open", "")
        names = links.all_inner_texts()
        for index in range(links.count()):
            expect(links.nth(index)).to_be_visible()
            expect(links.nth(index)).to_be_in_viewport()
            page.keyboard.press("Tab")
            expect(links.nth(index)).to_be_focused()
        assert names[0] == "Parks"

        links.first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/en/parks/$"))
    finally:
        context.close()


def test_every_public_page_loads_only_from_its_own_origin_without_errors(browser, live_zone):
    """Each page of the sitemap (both languages) and a few stateful ones: no other origin, no console error,
    no failed or 4xx/5xx request, no broken image."""
    origin = live_zone.url
    context = browser.new_context(locale="en-GB")
    problems: list[str] = []
    current = {"path": ""}

    def on_request(request):
        if not (request.url.startswith(f"{origin}/") or request.url.startswith("data:")):
            problems.append(f"{current['path']}: request to another origin: {request.url}")

    def on_request_failed(request):
        # Chromium fetches the favicon on its own after the load event, and going on to the next page
        # cancels it; that is no failure of the site (the favicon is checked once below).
        if request.failure == "net::ERR_ABORTED" and "favicon" in request.url:
            return
        problems.append(f"{current['path']}: {request.failure} for {request.url}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"{current['path']}: {response.status} for {response.url}")

    def on_console(message):
        if message.type == "error":
            problems.append(f"{current['path']}: console error: {message.text}")

    context.on("request", on_request)
    context.on("response", on_response)
    context.on("requestfailed", on_request_failed)
    context.on("console", on_console)
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{current['path']}: script error: {error}"))
        paths = live_sitemap_paths(page, origin)
        assert "/en/" in paths and "/zh-hans/" in paths and len(paths) > 40
        paths += [
            "/en/policies/tax-sharing/?tax=1000000",
            "/zh-hans/policies/tax-sharing/?tax=1000000",
            "/en/search/?q=steel",
            "/en/enquiry/?park=electronics-park",
            "/en/enterprises/?industry=steel&page=1",
        ]
        favicon = page.request.get(f"{origin}/static/img/favicon.svg")
        assert favicon.ok and favicon.headers["content-type"].startswith("image/svg+xml")
        for path in paths:
            current["path"] = path
            response = page.goto(f"{origin}{path}", wait_until="load")
            if response is None or not response.ok:
                problems.append(f"{path}: answered {response.status if response else 'nothing'}")
                continue
            # Lazy images wait for a scroll; fetch them now so a broken one is caught too.
            broken = page.evaluate(
                """() => Promise.all([...document.images].map(img => {
                     img.loading = 'eager';
                     return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
                   })).then(() => [...document.images].filter(img => !img.naturalWidth).map(img => img.src))"""
            )
            problems += [f"{path}: broken image {src}" for src in broken]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
