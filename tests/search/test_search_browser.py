"""Search in Debian's chromium: the header field, live results as the user types (htmx), a
result followed to its page; no serious or critical accessibility violations (axe-core)."""

import pytest

from rus.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.conftest import demo_data  # noqa: F401 - the fixture
from tests.browser.test_agenda_flow import serious_violations
from tests.browser.test_smoke import log_in
from tests.protocols.test_protocol_browser import axe  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def test_a_member_searches_from_the_header_refines_live_and_opens_a_result(
    browser_page,
    demo_data,  # noqa: F811
    axe,  # noqa: F811
):
    page = browser_page
    log_in(page, "ledamot", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("search", name="Sök på webbplatsen").get_by_label("Sök").fill("finansiering")
    page.get_by_role("search", name="Sök på webbplatsen").get_by_role("button").click()
    page.wait_for_url("**/sok/?q=finansiering")
    status = page.get_by_role("status")
    assert "träffar för ”finansiering”" in status.inner_text()
    assert page.locator(".search-hit mark").count() > 0
    assert serious_violations(page, axe) == []

    # Typing in the page's own field updates the results without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Sök i sammanträden").fill("samverkansråden")
    page.get_by_text("träffar för ”samverkansråden”").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert "q=samverkansr" in page.url  # the address follows, so back and reload work

    # Narrowing to one kind, then following a result to the exact §.
    page.get_by_label("Typ", exact=True).select_option("paragraph")
    page.wait_for_url("**kind=paragraph**")  # the narrowed results are in (htmx pushes the URL)
    page.get_by_role("link", name="Protokollsparagrafer").first.wait_for()
    link = page.locator(".search-hit h2 a").first
    href = link.get_attribute("href")
    assert "#dokument-paragraf-" in href
    link.click()
    page.wait_for_url("**/protokoll/**")
    assert page.locator(href[href.index("#") :]).is_visible()
    assert serious_violations(page, axe) == []


def test_an_anonymous_visitor_searches_the_public_archive(
    browser_page,
    demo_data,  # noqa: F811
    axe,  # noqa: F811
):
    page = browser_page
    page.goto("/arkiv/")
    page.get_by_role("search", name="Sök på webbplatsen").get_by_label("Sök").fill("finansiering")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=finansiering")
    hits = page.locator(".search-hit h2 a")
    assert hits.count() > 0
    for index in range(hits.count()):
        assert hits.nth(index).get_attribute("href").startswith("/arkiv/protokoll/")
    assert serious_violations(page, axe) == []
