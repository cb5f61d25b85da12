"""No page needs more than the Content-Security-Policy allows: no inline script and no inline style.

Chromium reports each thing the policy blocks, as a `securitypolicyviolation` event in the page and
as an error on the console; both are recorded on every page of the live sitemap, in both languages,
and on the admin pages staff use most. A page that carried a <style> block or a style="" attribute
(as the charts once did) fails here. The charts are also checked where their words must wrap: on a
320 px screen and with text at 200 %.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from promotion.models import Enquiry, EnquiryMessage, KeyFigure, Park

from .factories import make_enquiry
from .test_accessibility import SITEMAP_PATHS, TEST_STORAGES, live_sitemap_paths

pytestmark = pytest.mark.browser
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.cspViolations.push(
  `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  + (event.sample ? ` (${event.sample})` : "")
));
"""


def new_context(browser, **options):
    context = browser.new_context(locale="en-GB", **options)
    context.add_init_script(RECORD_VIOLATIONS)
    context.set_default_timeout(15_000)
    return context


class Recorder:
    """What the browser reported on the page's console about the policy since the last look."""

    def __init__(self, page):
        self.console: list[str] = []
        page.on("console", self.heard)

    def heard(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def take(self, page) -> list[str]:
        # The browser dispatches violation events in tasks of their own: let them run before reading.
        page.wait_for_timeout(50)
        reported = page.evaluate("window.cspViolations") + self.console
        self.console = []
        return reported


def style_src(response) -> str:
    directives = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    return directives["style-src"]


@pytest.fixture(scope="module")
def sitemap_violations(browser, live_server, zone_media, django_db_blocker):
    """Every page of the live sitemap visited once; for each, what the policy blocked (or the error met)."""
    with override_settings(MEDIA_ROOT=zone_media, STORAGES=TEST_STORAGES), django_db_blocker.unblock():
        call_command("loaddata", "zone", verbosity=0)
        context = new_context(browser)
        try:
            page = context.new_page()
            recorder = Recorder(page)
            listed = live_sitemap_paths(page, live_server.url)
            results = {}
            for path in listed:
                try:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.ok, f"{path} answered {response.status}"
                    assert style_src(response) == "'self'", style_src(response)
                    results[path] = recorder.take(page)
                except Exception as error:  # reported by the page's own test
                    results[path] = [f"{path}: {error}"]
        finally:
            context.close()
    return listed, results


@live
def test_the_pages_checked_are_those_of_the_live_sitemap_in_both_languages(sitemap_violations):
    listed, _results = sitemap_violations
    assert sorted(listed) == sorted(SITEMAP_PATHS)
    assert {"/en/about/", "/zh-hans/about/", "/en/parks/", "/zh-hans/parks/", "/en/service/"} <= set(listed)


@live
@pytest.mark.parametrize("path", SITEMAP_PATHS)
def test_sitemap_page_breaks_no_policy(sitemap_violations, path):
    _listed, results = sitemap_violations
    assert path in results, f"{path} is not in the live sitemap"
    assert results[path] == []


@live
def test_the_recorder_hears_a_blocked_inline_style(browser, live_zone):
    """The harness itself: a style attribute put into a page must be reported, or the empty lists above mean nothing."""
    context = new_context(browser)
    try:
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(f"{live_zone.url}/en/parks/")
        assert recorder.take(page) == []
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
        reported = recorder.take(page)
        assert any(line.startswith("style-src-attr blocked inline") for line in reported), reported
        assert page.evaluate("getComputedStyle(document.querySelector('main p:last-child')).color") != "rgb(255, 0, 0)"
    finally:
        context.close()


# --- The admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_page(browser, live_zone):
    """A superuser logged in through the admin's own login page, which must break no policy either."""
    User.objects.create_superuser("editor", "editor@example.com", "a-long-test-password")
    context = new_context(browser)
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(f"{live_zone.url}/admin/login/?next=/admin/")
    assert recorder.take(page) == []
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_zone.url}/admin/")
    yield page, recorder
    context.close()


def rated_low_with_a_conversation(editor: User) -> Enquiry:
    """An enquiry whose page shows everything it can: a reply, an answer, a low rating awaiting follow-up."""
    enquiry = make_enquiry(name="Chen Jing", email="chen.jing@example.com")
    EnquiryMessage.objects.create(enquiry=enquiry, direction="reply", author=editor, body="Thank you.", language="en")
    EnquiryMessage.objects.create(enquiry=enquiry, direction="answer", body="May we visit in May?", language="en")
    Enquiry.objects.filter(pk=enquiry.pk).update(rating=1, rated_at=timezone.now(), rating_comment="Too slow.")
    return enquiry


@live
def test_admin_pages_break_no_policy(admin_page, live_zone):
    (page, recorder), origin = admin_page, live_zone.url
    enquiry = rated_low_with_a_conversation(User.objects.get(username="editor"))
    park = Park.objects.get(slug="electronics-park")
    pages = [
        "/admin/",
        "/admin/promotion/enquiry/",
        f"/admin/promotion/enquiry/{enquiry.pk}/change/",
        f"/admin/promotion/park/{park.pk}/change/",
        f"/admin/promotion/park/{park.pk}/history/",
        f"/admin/promotion/keyfigure/{KeyFigure.objects.order_by('pk').first().pk}/change/",
        "/admin/promotion/park/add/",
    ]
    reported = {}
    for path in pages:
        response = page.goto(f"{origin}{path}")
        assert response.ok, (path, response.status)
        assert style_src(response) == "'self'"
        reported[path] = recorder.take(page)
    assert reported == {path: [] for path in pages}


@live
def test_the_enquiry_page_keeps_its_looks_from_the_stylesheet(admin_page, live_zone):
    """The conversation, the low rating and the reply preview, once styled inline, are styled by admin.css."""
    page, recorder = admin_page
    enquiry = rated_low_with_a_conversation(User.objects.get(username="editor"))
    page.goto(f"{live_zone.url}/admin/promotion/enquiry/{enquiry.pk}/change/")
    page.fill("#enquiry-reply textarea[name=reply-body]", "Dear Ms Chen,\n\nThe land price is listed on our site.")
    page.locator("#enquiry-reply input[name=_preview]").click()
    page.locator("#reply-preview").wait_for()
    assert recorder.take(page) == []

    def style(selector: str, prop: str) -> str:
        return page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")

    assert style(".enquiry-low-rating", "display") == "inline"
    assert style(".enquiry-thread", "listStyleType") == "none"
    assert style(".enquiry-message-reply", "borderLeftWidth") == "4px"
    assert style(".enquiry-message-reply", "borderLeftColor") != style(".enquiry-message-answer", "borderLeftColor")
    assert style(".reply-preview-body", "whiteSpace") == "pre-wrap"
    assert style("#reply-preview", "borderTopStyle") == "solid"


# --- The charts' words, laid out by the browser ------------------------------------------------

CHART_PAGES = ["/en/about/", "/zh-hans/about/", "/en/parks/", "/zh-hans/parks/", "/en/service/"]
LAYOUTS = {
    "reflow-320px": {"viewport": {"width": 320, "height": 640}},
    "text-200-375px": {"viewport": {"width": 375, "height": 740}, "font_size": "200%"},
    "text-200-1280px": {"viewport": {"width": 1280, "height": 800}, "font_size": "200%"},
}
# Every word of a chart or of the map inside the page, and every park's name inside its plot.
WORDS_OUT_OF_PLACE = """() => {
  const out = [];
  const limit = document.documentElement.clientWidth + 1;
  const words = '.bar-chart-label, .bar-chart-caption, .bar-chart-value, .zone-map-name';
  for (const el of document.querySelectorAll(words)) {
    const box = el.getBoundingClientRect();
    if (box.left < -1 || box.right > limit) out.push(`${el.textContent} runs off the page`);
  }
  for (const plot of document.querySelectorAll('.zone-map-park')) {
    const outer = plot.getBoundingClientRect(), name = plot.querySelector('.zone-map-name').getBoundingClientRect();
    if (name.left < outer.left || name.right > outer.right || name.top < outer.top || name.bottom > outer.bottom)
      out.push(`${plot.textContent} spills out of its plot`);
  }
  return out;
}"""


@live
@pytest.mark.parametrize("layout", LAYOUTS)
def test_chart_words_stay_in_place_on_small_screens_and_at_200_percent_text(browser, live_zone, layout):
    options = dict(LAYOUTS[layout])
    font_size = options.pop("font_size", None)
    make_enquiry(received_at=timezone.now())  # so the service record draws its months
    context = new_context(browser, **options)
    problems = {}
    try:
        page = context.new_page()
        recorder = Recorder(page)
        for path in CHART_PAGES:
            page.goto(f"{live_zone.url}{path}")
            if font_size:
                # A script, not a style attribute, so the policy allows it (it is how the reader's setting acts).
                page.evaluate("size => { document.documentElement.style.fontSize = size; }", font_size)
            assert page.locator(".bar-chart, .zone-map").count() >= 1, path
            found = page.evaluate(WORDS_OUT_OF_PLACE) + recorder.take(page)
            if found:
                problems[path] = found
    finally:
        context.close()
    assert problems == {}
