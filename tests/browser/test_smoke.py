"""Browser smoke test: Debian's chromium logs in through the real login form."""

from rus.management.commands.seed_demo import DEMO_PASSWORD


def log_in(page, username, password):
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_kansli_logs_in_and_sees_start_page(browser_page, demo_data):
    log_in(browser_page, "kansli", DEMO_PASSWORD)

    browser_page.wait_for_url("**/")
    assert browser_page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert browser_page.title() == "Start – Samverkan"
    assert browser_page.get_by_role("navigation", name="Huvudmeny").is_visible()
    # The stylesheet and htmx are served from our own static files.
    assert browser_page.evaluate("typeof window.htmx") == "object"
    assert browser_page.evaluate("getComputedStyle(document.body).display") == "flex"


def test_wrong_password_shows_swedish_error(browser_page, demo_data):
    log_in(browser_page, "kansli", "fel-lösenord")

    alert = browser_page.get_by_role("alert")
    assert "Fel användarnamn eller lösenord" in alert.inner_text()
    assert browser_page.get_by_label("Användarnamn").input_value() == "kansli"
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Logga in"


def test_logout_returns_to_login(browser_page, demo_data):
    log_in(browser_page, "kansli", DEMO_PASSWORD)
    browser_page.wait_for_url("**/")

    browser_page.get_by_role("button", name="Logga ut").click()

    browser_page.wait_for_url("**/konto/logga-in/")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Logga in"


def test_skip_link_is_first_and_visible_on_focus(browser_page, demo_data):
    log_in(browser_page, "kansli", DEMO_PASSWORD)
    browser_page.wait_for_url("**/")

    browser_page.keyboard.press("Tab")

    focused = browser_page.evaluate("document.activeElement.textContent")
    assert focused == "Hoppa till innehållet"
    box = browser_page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "main"
    # <main> is a target, not a control: no focus frame drawn round the whole page.
    assert browser_page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"


def test_start_page_fits_a_tablet_without_sideways_scrolling(browser_page, demo_data):
    browser_page.set_viewport_size({"width": 768, "height": 1024})
    log_in(browser_page, "kansli", DEMO_PASSWORD)
    browser_page.wait_for_url("**/")

    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_language_switcher_shows_english(browser_page):
    browser_page.goto("/konto/logga-in/")

    browser_page.get_by_label("Språk / Language").select_option("en")
    browser_page.get_by_role("button", name="Byt språk").click()

    browser_page.wait_for_selector("html[lang=en]")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert browser_page.get_by_role("button", name="Change language").is_visible()


def test_a_policy_violation_is_noticed(browser_page, demo_data, csp_violations):
    """What makes every browser test fail on an inline style or script: here one is forced."""
    browser_page.goto("/konto/logga-in/")
    browser_page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            document.body.setAttribute("style", "color: red");
        }"""
    )
    browser_page.wait_for_timeout(200)
    assert browser_page.evaluate("window.inlineRan") is None
    assert any("script-src" in violation for violation in csp_violations)
    assert any("style-src" in violation for violation in csp_violations)
    csp_violations.clear()  # seen and expected: the fixture would fail the test otherwise


def test_htmx_is_configured_without_inline_styles_or_eval(browser_page, demo_data):
    log_in(browser_page, "kansli", DEMO_PASSWORD)
    browser_page.wait_for_url("**/")
    config = browser_page.evaluate("htmx.config")
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert browser_page.locator("style").count() == 0


def test_agenda_preview_is_styled_by_its_static_stylesheets(browser_page, demo_data):
    from meetings.models import Meeting

    meeting = Meeting.objects.order_by("pk").first()
    log_in(browser_page, "kansli", DEMO_PASSWORD)
    browser_page.wait_for_url("**/")
    browser_page.goto(f"/moten/{meeting.pk}/kallelse/")
    browser_page.evaluate("document.fonts.ready")
    assert "Samverkan Sans" in browser_page.evaluate("getComputedStyle(document.body).fontFamily")
    assert browser_page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    assert browser_page.evaluate("document.fonts.check('12px \"Samverkan Sans\"')")
