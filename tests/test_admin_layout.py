"""Every content change form stays within the page in a real browser, at a laptop's width and at a small
one's: no horizontal page scroll, and the inline rows (a policy's measures, an industry's chain stages)
keep each field visible, wide enough to type in, and labelled."""

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import Count

from promotion.models import Industry, Policy

from .test_admin import CONTENT_MODELS, admin_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"1280x800": {"width": 1280, "height": 800}, "1024x768": {"width": 1024, "height": 768}}

# The narrowest a field of an inline row may be and still take a word or two (a position, a few digits).
MIN_TEXT_WIDTH = 160
MIN_NUMBER_WIDTH = 48

# What lies wider than the page, to say which element broke it.
WIDER_THAN_THE_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("#content *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join(".")}`);
}"""

# Each visible field of the inline rows saved so far: its box, and the words that label it (its <label>,
# or the column heading of a tabular inline).
INLINE_FIELDS = """() => [...document.querySelectorAll(
    ".inline-related:not(.empty-form) input:not([type=hidden]):not([type=checkbox]), " +
    ".inline-related:not(.empty-form) textarea, .inline-related:not(.empty-form) select"
  )]
  .filter((el) => !el.closest(".empty-form") && el.id && !el.id.includes("__prefix__"))
  .map((el) => {
    const box = el.getBoundingClientRect();
    let label = el.labels && el.labels.length ? el.labels[0].textContent : "";
    const cell = el.closest("td");
    if (!label && cell) {
      const heading = cell.closest("table").querySelectorAll("thead th")[cell.cellIndex];
      label = heading ? heading.textContent : "";
    }
    const style = getComputedStyle(el);
    return {
      id: el.id, type: el.type, left: box.left, right: box.right, width: box.width, height: box.height,
      visible: style.visibility !== "hidden" && style.display !== "none" && box.width > 0 && box.height > 0,
      label: label.trim(),
    };
  })"""


def change_forms() -> list[tuple[str, str, int]]:
    """(model, change form) for one object of each content model: those with inline rows take the object
    with the most of them."""
    forms = []
    for model in CONTENT_MODELS:
        objects = model.objects.all()
        if model is Policy:
            objects = objects.annotate(rows=Count("measures")).order_by("-rows")
        elif model is Industry:
            objects = objects.annotate(rows=Count("chain_stages")).order_by("-rows")
        obj = objects.first()
        assert obj is not None, model
        forms.append((model.__name__, admin_url(model, "change", obj.pk)))
    return forms


@pytest.fixture
def editor_page(browser, live_zone, request):
    viewport, locale = request.param
    editor = User.objects.create_user("zhaolei", "zhaolei@zone.example.cn", "editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    context = browser.new_context(locale=locale, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_zone.url}/admin/login/")
    page.locator("#id_username").fill("zhaolei")
    page.locator("#id_password").fill("editor-password")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.locator("#user-tools").wait_for()
    yield page
    context.close()


@pytest.mark.parametrize(
    "editor_page",
    [("1280x800", "en-GB"), ("1024x768", "en-GB"), ("1024x768", "zh-CN")],
    ids=["1280x800-en", "1024x768-en", "1024x768-zh"],
    indirect=True,
)
def test_every_content_change_form_stays_within_the_page(editor_page, live_zone):
    page = editor_page
    inline_forms = 0
    for name, url in change_forms():
        page.goto(f"{live_zone.url}{url}")
        page.locator("#content-main form").wait_for()
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, (name, scroll_width, client_width, page.evaluate(WIDER_THAN_THE_PAGE))

        fields = page.evaluate(INLINE_FIELDS)
        if page.locator(".inline-group").count():
            inline_forms += 1
            assert fields, f"{name}: the inline rows saved so far show no field"
        for field in fields:
            where = (name, field["id"])
            assert field["visible"], where
            assert field["left"] >= 0 and field["right"] <= client_width, (*where, field, client_width)
            least = MIN_NUMBER_WIDTH if field["type"] == "number" else MIN_TEXT_WIDTH
            assert field["width"] >= least, (*where, field["width"])
            assert field["label"], where
    assert inline_forms == 2  # the policy's measures and the industry's chain stages
