"""Agenda ordering in Debian's chromium: native drag and drop (static/js/agenda.js through
htmx) and the keyboard-reachable Upp/Ned buttons."""

import pytest

from tests.factories import PASSWORD, make_council, make_secretariat_user
from tests.meetings.factories import make_item, make_meeting
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def agenda(transactional_db):
    council = make_council(name="Regionala samverkansrådet")
    user = make_secretariat_user("kansli", council=council)
    meeting = make_meeting(council, title="Månadsmöte")
    for title in ("Första", "Andra", "Tredje"):
        make_item(meeting, title=title)
    return meeting, user


def movable_titles(page):
    return page.locator("li[draggable=true] h3 a").all_inner_texts()


def stored_titles(meeting):
    return list(
        meeting.items.filter(is_standing=False).order_by("position").values_list("title", flat=True)
    )


def focus_on(page, element_id):
    """Wait until focus is back on the element (htmx settles a moment after the swap)."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id
    )


def test_drag_and_drop_saves_the_new_order(browser_page, agenda):
    meeting, user = agenda
    page = browser_page
    # Tall enough that no scrolling happens mid-drag (Playwright scrolls the target into view
    # after pressing the mouse on the source, which confuses a native drag).
    page.set_viewport_size({"width": 1200, "height": 2400})
    log_in(page, "kansli", PASSWORD)
    page.goto(f"/moten/{meeting.pk}/")
    assert movable_titles(page) == ["Första", "Andra", "Tredje"]
    last = page.locator("li[draggable=true]").nth(2)
    first = page.locator("li[draggable=true]").nth(0)
    last.drag_to(first, target_position={"x": 30, "y": 5})
    page.get_by_text("Dagordningens ordning är sparad.").wait_for()
    assert movable_titles(page) == ["Tredje", "Första", "Andra"]
    assert stored_titles(meeting) == ["Tredje", "Första", "Andra"]
    assert page.locator("li h3 a").last.inner_text() == "Avslutning"


def test_keyboard_buttons_move_and_keep_focus(browser_page, agenda):
    meeting, user = agenda
    page = browser_page
    log_in(page, "kansli", PASSWORD)
    page.goto(f"/moten/{meeting.pk}/")
    first_item = meeting.items.get(title="Första")
    page.locator(f"#move-down-{first_item.pk}").focus()
    page.keyboard.press("Enter")
    page.get_by_text("”Första” är nu punkt 5.").wait_for()
    assert movable_titles(page) == ["Andra", "Första", "Tredje"]
    focus_on(page, f"move-down-{first_item.pk}")
    page.keyboard.press("Enter")
    page.get_by_text("”Första” är nu punkt 6.").wait_for()
    # At the bottom the Ned button is disabled: focus moves to Upp of the same item.
    focus_on(page, f"move-up-{first_item.pk}")
    assert stored_titles(meeting) == ["Andra", "Tredje", "Första"]
