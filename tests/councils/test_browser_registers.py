"""In a real browser: the secretariat fills the Timrå gap with the htmx form (R2), and the
person search filters while typing."""

import pytest

from councils import demo
from councils.models import Organisation
from tests.factories import PASSWORD, make_person, make_user
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_registers(transactional_db):
    users = {name: make_user(name) for name in ["kansli", "ordforande", "ledamot", "rusgrupp"]}
    demo.seed(users=users)
    return users


def test_secretariat_fills_the_timra_gap_without_reloading(browser_page, demo_registers):
    timra = Organisation.objects.get(name="Timrå kommun")
    make_person("Tyra", "Testsdotter", organisation=timra)
    log_in(browser_page, "kansli", PASSWORD)
    browser_page.goto("/rad/regionala-samverkansradet/")
    warning = browser_page.get_by_text("Timrå kommun saknar ledamot för oppositionen")
    assert warning.is_visible()
    browser_page.evaluate("window.notReloaded = true")

    browser_page.get_by_role("link", name="Välj person och uppdrag").click()  # htmx: in place
    browser_page.get_by_label("Person").select_option(label="Tyra Testsdotter (Timrå kommun)")
    browser_page.get_by_label("Sida").select_option(label="Opposition")
    browser_page.get_by_role("button", name="Lägg till", exact=True).click()

    browser_page.get_by_text("Tyra Testsdotter är tillagd i Regionala samverkansrådet.").wait_for()
    assert browser_page.evaluate("window.notReloaded") is True  # swapped in by htmx
    assert warning.count() == 0
    assert browser_page.get_by_text("Alla kommuner och regionen har ledamöter").is_visible()


def test_member_searches_people_while_typing(browser_page, demo_registers):
    log_in(browser_page, "ledamot", PASSWORD)
    browser_page.goto("/personer/")
    browser_page.get_by_label("Sök på namn, e-post, titel eller organisation").fill(
        "Ordförandesson"
    )
    browser_page.get_by_text("1 person matchar ”Ordförandesson”.").wait_for()
    assert "q=Ordf%C3%B6randesson" in browser_page.url
