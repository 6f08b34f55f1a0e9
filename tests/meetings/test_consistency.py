"""Consistent pages: focus areas and influence issues grouped by plan year
in every select, one time format, no rule numbers in the proposal form's help texts."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, translation

from meetings.forms.agenda import AgendaItemForm
from meetings.forms.proposals import ItemProposalForm
from tests.meetings.factories import make_item
from tests.rus.strategy_factories import make_focus_area, make_issue, make_plan, make_strategy

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_focus_areas_and_issues_are_grouped_by_plan_year_newest_first(client, cast, meeting):
    strategy = make_strategy()
    old, new = make_plan(strategy, year=2026), make_plan(strategy, year=2027)
    make_focus_area(old, title="Matchning 2026")
    make_focus_area(new, title="Matchning 2027")
    make_issue(new, title="Ostkustbanan")
    client.force_login(cast.secretariat)

    page = client.get(reverse("meetings:item_create", args=[meeting.pk])).content.decode()

    focus = page[
        page.index('name="focus_area"') : page.index("</select>", page.index('name="focus_area"'))
    ]
    assert re.findall(r'<optgroup label="([^"]+)">', focus) == [
        "Strategisk plan 2027",
        "Strategisk plan 2026",
    ]
    assert re.search(
        r'<optgroup label="Strategisk plan 2027">\s*<option value="\d+">Matchning 2027</option>',
        focus,
    )
    assert '<option value="" selected>–</option>' in focus
    issues = page[page.index('name="influence_issue"') :]
    assert re.search(
        r'<optgroup label="Strategisk plan 2027">\s*<option value="\d+">Ostkustbanan</option>',
        issues,
    )


def test_a_grouped_choice_is_still_validated_against_the_queryset(cast, meeting):
    area = make_focus_area(make_plan(year=2027), title="Finansiering")
    form = AgendaItemForm(data={"focus_area": str(area.pk)})
    form.is_valid()
    assert "focus_area" not in form.errors
    assert form.cleaned_data["focus_area"] == area
    form = AgendaItemForm(data={"focus_area": "999999"})
    form.is_valid()
    assert "focus_area" in form.errors


def test_the_proposal_form_explains_without_rule_numbers(client, alice):
    client.force_login(alice)
    page = client.get(reverse("meetings:proposal_create")).content.decode()
    assert "R12" not in page
    for field in ItemProposalForm.Meta.help_texts.values():
        assert not re.search(r"\(R\d+", str(field))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_one_time_format_in_both_languages(language):
    with translation.override(language):
        assert formats.get_format("TIME_FORMAT") == "H.i"
        assert "H.i" in formats.get_format("DATETIME_FORMAT")
        assert formats.get_format("SHORT_DATETIME_FORMAT").endswith("H.i")


def test_no_template_writes_the_time_with_a_colon():
    """The time is 09.00 on pages, in mails and PDFs alike, the protocol's included."""
    offenders = []
    for path in TEMPLATES.rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r'\|(?:date|time):"[^"]*H:i', line):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders


def test_meeting_page_shows_the_time_with_a_period(client, cast, meeting):
    make_item(meeting, title="Lägesbild")
    client.force_login(cast.member)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "kl. 09.00–11.00" in page
    assert "09:00" not in page
