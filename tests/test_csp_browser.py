"""The Content-Security-Policy in a real browser: the Wagtail admin and our pages work under it.

Issue 14, item 17. Chromium reports every blocked script, style, image, frame or connection
as a console error ("Refused to … because it violates the following Content Security Policy
directive") and fires ``securitypolicyviolation``; this walks the admin and the SME pages and
asserts that neither happens, and that the policy is sent.
"""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM, SME_EMAIL, SME_SLUG, screenshot, sign_in

# The browser tests' fixtures (a headless Chromium, a page, the demo programme).

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "echannel-demo"
WATCH = """
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });
"""


def visit(page, url, problems):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    problems.extend(f"{url}: {violation}" for violation in page.evaluate("window.__cspViolations || []"))


def test_the_admin_and_the_sme_pages_run_without_a_csp_violation(live_server, page, demo_data):
    problems = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    sign_in(page, live_server, email="coordinator@e-channel.example", password=PASSWORD, language="en")
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/", "/admin/users/", "/admin/reports/site-history/"):
        visit(page, f"{live_server.url}{path}", problems)
    screenshot(page, "csp-admin.png")

    page.context.clear_cookies()
    sign_in(page, live_server, email=SME_EMAIL, password=PASSWORD, language="fr")
    for path in ("", "data/", "toolkit/", "toolkit/inventory/", "toolkit/growth/"):
        visit(page, f"{live_server.url}/fr/portal/smes/{SME_SLUG}/{path}", problems)
    screenshot(page, "csp-toolkit-growth.png")
    visit(page, f"{live_server.url}/en/", problems)
    assert problems == []
