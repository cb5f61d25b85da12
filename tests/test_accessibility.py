"""Every public page checked by axe-core in a real Chromium, and the layout's reflow on phones and at 200 % zoom.

axe-core is vendored in tests/vendor (MPL-2.0, its licence beside it), so the audit runs offline. No rule is
switched off and no element excluded: a page passes only with zero violations of WCAG 2.0/2.1 A and AA and 2.2 AA,
and of axe's best practices.
"""

import json
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from promotion.sitemaps import SITEMAPS, ContentSitemap

pytestmark = pytest.mark.browser
# Every test here is a transactional one, as the other browser tests are. The per-page tests only read the audit's
# results, but are marked too: pytest-django sets up the test database only for runs with a test marked to use it,
# and keeping them with the other browser tests keeps the session's order (and the browser's start) as it was.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TEST_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
# With axe's best practices, as Lighthouse's accessibility score counts them (heading order, unique landmarks).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PHONE = {"width": 375, "height": 740}


def expected_sitemap_paths() -> list[str]:
    """The sitemap's paths, worked out at collection time (before any database) from the sitemaps and the fixture.

    test_the_pages_audited_are_exactly_those_of_the_live_sitemap keeps this list honest.
    """
    objects = json.loads((Path(settings.BASE_DIR) / "fixtures" / "zone.json").read_text(encoding="utf-8"))
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for sitemap in SITEMAPS.values():
                if isinstance(sitemap, ContentSitemap):
                    model = sitemap.model
                    slugs = [obj["fields"]["slug"] for obj in objects if obj["model"] == model._meta.label_lower]
                    paths += [model(slug=slug).get_absolute_url() for slug in slugs]
                else:
                    paths += [sitemap().location(item) for item in sitemap().items()]
    return paths


SITEMAP_PATHS = expected_sitemap_paths()


def live_sitemap_paths(page, base_url: str, sitemap: str = "/sitemap.xml") -> list[str]:
    """The page paths listed by the live site's sitemap, following a sitemap index into its sections."""
    response = page.request.get(f"{base_url}{sitemap}")
    assert response.ok, (sitemap, response.status)
    root = ElementTree.fromstring(response.body())
    paths = [urlparse(loc.text).path for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS):
        section = urlparse(loc.text)
        paths += live_sitemap_paths(page, base_url, section.path + (f"?{section.query}" if section.query else ""))
    return paths


def new_audit_context(browser, **options):
    """A context with axe-core loaded into every document.

    The site's Content-Security-Policy rightly refuses injected scripts; the audit, not the site, bypasses it.
    """
    context = browser.new_context(locale="en-GB", bypass_csp=True, **options)
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="module")
def audit_context(browser):
    """One context for the module's desktop pages, so stylesheets and images come from its cache."""
    context = new_audit_context(browser)
    yield context
    context.close()


@pytest.fixture
def audit_page(audit_context):
    page = audit_context.new_page()
    yield page
    page.close()


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"    {target}: {' '.join(node['failureSummary'].split())}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


@pytest.fixture(scope="module")
def sitemap_audit(browser, live_server, zone_media, django_db_blocker):
    """Audit every page of the live sitemap once, for the per-page tests below to report.

    Loading the zone for each page would cost more than the audit itself, so it is loaded once here and each
    test reads its page's result: the violations, or the error met on the way.
    """
    # What the conftest's test_settings and live_zone do for one test, done here for the module.
    with override_settings(MEDIA_ROOT=zone_media, STORAGES=TEST_STORAGES), django_db_blocker.unblock():
        call_command("loaddata", "zone", verbosity=0)
        context = new_audit_context(browser)
        try:
            page = context.new_page()
            listed = live_sitemap_paths(page, live_server.url)
            results = {}
            for path in listed:
                try:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.ok, f"{path} answered {response.status}"
                    violations = axe_violations(page)
                    results[path] = f"{page.url}\n{describe(violations)}" if violations else ""
                except Exception as error:  # reported by the page's own test
                    results[path] = f"{path}: {error}"
        finally:
            context.close()
    return listed, results


@live
def test_the_pages_audited_are_exactly_those_of_the_live_sitemap(sitemap_audit):
    listed, _results = sitemap_audit
    assert sorted(SITEMAP_PATHS) == sorted(listed)
    assert "/en/" in listed and "/zh-hans/policies/tax-sharing/" in listed


@live
@pytest.mark.parametrize("path", SITEMAP_PATHS)
def test_sitemap_page_has_no_axe_violations(sitemap_audit, path):
    _listed, results = sitemap_audit
    assert path in results, f"{path} is not in the live sitemap"
    assert not results[path], results[path]


@live
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_enquiry_form_sent_empty_shows_accessible_errors(audit_page, live_zone, language):
    audit_page.goto(f"{live_zone.url}/{language}/enquiry/")
    audit_page.locator("form[method=post] [type=submit]").click()
    audit_page.locator("#error-summary").wait_for()
    assert audit_page.locator(".invalid-feedback").count() > 3
    assert_accessible(audit_page)


@live
def test_tax_calculator_with_a_result(audit_page, live_zone):
    audit_page.goto(f"{live_zone.url}/en/policies/tax-sharing/?tax=1000000#calculator")
    assert audit_page.locator("output[data-share=owner]").inner_text() == "800,000"
    assert_accessible(audit_page)


@live
def test_tax_calculator_with_an_error(audit_page, live_zone):
    audit_page.goto(f"{live_zone.url}/en/policies/tax-sharing/?tax=abc#calculator")
    audit_page.get_by_text("Enter an amount in yuan").wait_for()
    assert_accessible(audit_page)


@live
@pytest.mark.parametrize("path", ["/en/search/?q=steel", "/zh-hans/search/?q=steel", "/en/search/?q=zzzz-nothing"])
def test_search_results(audit_page, live_zone, path):
    audit_page.goto(f"{live_zone.url}{path}")
    assert_accessible(audit_page)


@live
@pytest.mark.parametrize("query", ["industry=steel", "page=2", "industry=steel&park=e-commerce-base"])
def test_enterprises_filtered_and_paged(audit_page, live_zone, query):
    audit_page.goto(f"{live_zone.url}/en/enterprises/?{query}")
    assert_accessible(audit_page)


@live
@pytest.mark.parametrize("path", ["/en/no-such-page/", "/zh-hans/no-such-page/"])
def test_not_found_page(audit_page, live_zone, path):
    response = audit_page.goto(f"{live_zone.url}{path}")
    assert response.status == 404
    assert_accessible(audit_page)


@live
@pytest.mark.parametrize("path", ["/en/", "/en/policies/tax-sharing/?tax=1000000", "/zh-hans/"])
def test_phone_layout_with_the_menu_open(browser, live_zone, path):
    context = new_audit_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_zone.url}{path}")
        page.locator("details.site-menu summary").click()
        assert_accessible(page)
    finally:
        context.close()


@live
@pytest.mark.parametrize("path", ["/en/", "/en/parks/electronics-park/", "/en/policies/tax-sharing/?tax=1000000"])
def test_high_contrast_mode(browser, live_zone, path):
    """Readers who ask for more contrast (prefers-contrast: more) get a stylesheet of their own; audit it too."""
    context = new_audit_context(browser, contrast="more")
    try:
        page = context.new_page()
        page.goto(f"{live_zone.url}{path}")
        assert page.evaluate("matchMedia('(prefers-contrast: more)').matches")
        assert_accessible(page)
    finally:
        context.close()


@live
def test_axe_reports_a_planted_violation(audit_page, live_zone):
    """The harness itself: an unlabelled field must fail, or the zeros above mean nothing."""
    audit_page.goto(f"{live_zone.url}/en/")
    audit_page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert "label" in {violation["id"] for violation in axe_violations(audit_page)}


REFLOW_PAGES = [
    "/en/",
    "/en/parks/electronics-park/",
    "/en/policies/tax-sharing/?tax=1000000",
    "/en/environment/",
    "/zh-hans/",
    "/zh-hans/policies/tax-sharing/?tax=1000000",
]
REFLOW_MODES = {
    # A phone, and the 320 CSS px of WCAG's reflow criterion (1.4.10).
    "phone-375px": {"viewport": PHONE},
    "reflow-320px": {"viewport": {"width": 320, "height": 640}},
    # A 1280 px laptop zoomed to 200 %: 640 CSS pixels at twice the density.
    "page-zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
    # Text alone at 200 % (the reader's text-size setting) on a laptop, and on a phone.
    "text-200-1280px": {"viewport": {"width": 1280, "height": 800}, "font_size": "200%"},
    "text-200-375px": {"viewport": PHONE, "font_size": "200%"},
}
OVERFLOW_REPORT = """() => {
  const limit = window.innerWidth + 1;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > limit)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join(''));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 8)};
}"""


@live
@pytest.mark.parametrize("mode", REFLOW_MODES)
def test_no_horizontal_scrolling(browser, live_zone, mode):
    options = dict(REFLOW_MODES[mode])
    font_size = options.pop("font_size", None)
    context = browser.new_context(locale="en-GB", **options)
    overflowing = []
    try:
        page = context.new_page()
        for path in REFLOW_PAGES:
            page.goto(f"{live_zone.url}{path}")
            if font_size:
                page.evaluate("size => { document.documentElement.style.fontSize = size; }", font_size)
            report = page.evaluate(OVERFLOW_REPORT)
            if report["scrollWidth"] > report["innerWidth"] + 1:
                overflowing.append((path, report))
    finally:
        context.close()
    assert not overflowing, overflowing
