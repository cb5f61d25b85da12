"""The Content-Security-Policy, as a browser enforces it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_injected_inline_script_does_not_run_but_the_sites_own_script_does(page, live_zone):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_zone.url}/en/policies/tax-sharing/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            const handler = document.createElement("img");
            handler.setAttribute("src", "data:,");
            handler.setAttribute("onerror", "window.handlerRan = true");
            document.body.appendChild(handler);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined && window.handlerRan === undefined")
    assert violations, "the browser reported no policy violation"

    page.locator("input[name=tax]").fill("1000000")  # the site's own script, from its own origin
    assert page.locator("output[data-share=owner]").inner_text() == "800,000"
