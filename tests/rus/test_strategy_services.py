"""Start next year's plan, adopt a plan, compare two versions (R13: reviewed every year)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from rus import services
from rus.models import FocusArea, InfluenceIssue, StrategicPlan
from tests.factories import make_user

from .strategy_factories import make_focus_area, make_issue, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted_2026():
    plan = make_plan(year=2026, adopted=True, purpose="Syftet med planen.")
    matchning = make_focus_area(
        plan,
        title="Matchning på arbetsmarknaden",
        vision_2030="År 2030 gör vi plats för alla.",
        capacity_needed="Samordnade insatser.",
        position=2,
        goals=[4, 8],
        dimensions=["social"],
    )
    paverkan = make_focus_area(plan, title="Påverkansagenda", position=1, goals=[17])
    make_issue(plan, title="Ostkustbanan", focus_area=paverkan, level=InfluenceIssue.Level.NATIONAL)
    make_issue(
        plan,
        title="Kompetensförsörjning",
        focus_area=matchning,
        level=InfluenceIssue.Level.BOTH,
        description="Yrkesutbildning.",
        status=InfluenceIssue.Status.PAUSED,
    )
    make_issue(plan, title="Fråga utan fokusområde")
    return plan


# --- start_next_plan ----------------------------------------------------------------------------


def test_start_next_plan_copies_the_plan_into_a_draft_for_the_next_year(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    assert draft.year == 2027
    assert draft.status == StrategicPlan.Status.DRAFT and draft.adopted_on is None
    assert draft.based_on == adopted_2026
    assert draft.strategy == adopted_2026.strategy
    assert draft.purpose == "Syftet med planen."
    copied = {area.title: area for area in draft.focus_areas.all()}
    assert set(copied) == {"Matchning på arbetsmarknaden", "Påverkansagenda"}
    matchning = copied["Matchning på arbetsmarknaden"]
    assert matchning.vision_2030 == "År 2030 gör vi plats för alla."
    assert matchning.capacity_needed == "Samordnade insatser."
    assert matchning.position == 2


def test_start_next_plan_keeps_the_goal_and_dimension_tags(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    matchning = draft.focus_areas.get(title="Matchning på arbetsmarknaden")
    assert sorted(matchning.goals.values_list("number", flat=True)) == [4, 8]
    assert list(matchning.dimensions.values_list("code", flat=True)) == ["social"]
    # The original keeps its own rows: copies, not moves.
    original = adopted_2026.focus_areas.get(title="Matchning på arbetsmarknaden")
    assert original.pk != matchning.pk
    assert original.goals.count() == 2


def test_start_next_plan_relinks_influence_issues_to_the_copied_focus_areas(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    issues = {issue.title: issue for issue in draft.influence_issues.select_related("focus_area")}
    assert set(issues) == {"Ostkustbanan", "Kompetensförsörjning", "Fråga utan fokusområde"}
    assert issues["Ostkustbanan"].focus_area.plan_id == draft.pk
    assert issues["Ostkustbanan"].focus_area.title == "Påverkansagenda"
    assert issues["Kompetensförsörjning"].focus_area.title == "Matchning på arbetsmarknaden"
    assert issues["Kompetensförsörjning"].level == InfluenceIssue.Level.BOTH
    assert issues["Kompetensförsörjning"].status == InfluenceIssue.Status.PAUSED
    assert issues["Kompetensförsörjning"].description == "Yrkesutbildning."
    assert issues["Fråga utan fokusområde"].focus_area is None
    # The adopted plan's issues still point at its own focus areas.
    assert adopted_2026.influence_issues.filter(focus_area__plan=draft).count() == 0


def test_start_next_plan_refuses_when_next_years_plan_exists(adopted_2026):
    make_plan(strategy=adopted_2026.strategy, year=2027)
    with pytest.raises(ValidationError) as error:
        services.start_next_plan(plan=adopted_2026)
    assert error.value.messages == ["Det finns redan en plan för 2027."]
    assert FocusArea.objects.filter(plan__year=2027).count() == 0


def test_start_next_plan_twice_gives_one_draft(adopted_2026):
    services.start_next_plan(plan=adopted_2026)
    with pytest.raises(ValidationError):
        services.start_next_plan(plan=adopted_2026)
    assert StrategicPlan.objects.filter(year=2027).count() == 1


def test_start_next_plan_refuses_a_draft():
    draft = make_plan(year=2026)
    with pytest.raises(ValidationError, match="fastställd plan"):
        services.start_next_plan(plan=draft)


def test_start_next_plan_records_who_made_the_copy(adopted_2026):
    user = make_user("kansli")
    draft = services.start_next_plan(plan=adopted_2026, user=user)
    assert draft.history.first().history_user == user
    area = draft.focus_areas.first()
    assert area.history.earliest().history_user == user


# --- adopt_plan ---------------------------------------------------------------------------------


def test_adopt_plan_makes_the_draft_adopted():
    draft = make_plan(year=2027)
    make_focus_area(draft)
    services.adopt_plan(plan=draft, adopted_on=datetime.date(2026, 12, 10))
    draft.refresh_from_db()
    assert draft.status == StrategicPlan.Status.ADOPTED
    assert draft.adopted_on == datetime.date(2026, 12, 10)


def test_adopt_plan_refuses_an_adopted_plan(adopted_2026):
    with pytest.raises(ValidationError, match="redan fastställd"):
        services.adopt_plan(plan=adopted_2026, adopted_on=datetime.date(2026, 1, 1))


def test_adopt_plan_refuses_a_plan_without_focus_areas():
    draft = make_plan(year=2027)
    with pytest.raises(ValidationError, match="utan fokusområden"):
        services.adopt_plan(plan=draft, adopted_on=datetime.date(2026, 12, 10))
    draft.refresh_from_db()
    assert draft.is_editable


# --- compare_plans ------------------------------------------------------------------------------


def test_compare_identical_copy_has_no_changes(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    diff = services.compare_plans(adopted_2026, draft)
    assert not diff.has_changes
    assert len(diff.focus_areas.unchanged) == 2
    assert len(diff.influence_issues.unchanged) == 3


def test_compare_shows_added_removed_and_changed_rows(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    draft.focus_areas.get(title="Påverkansagenda").delete()
    make_focus_area(draft, title="Strategisk finansiering")
    matchning = draft.focus_areas.get(title="Matchning på arbetsmarknaden")
    matchning.vision_2030 = "År 2030 gör vi verkligen plats för alla."
    matchning.save()
    matchning.goals.add(*matchning.goals.model.objects.filter(number=5))
    matchning.dimensions.clear()
    issue = draft.influence_issues.get(title="Kompetensförsörjning")
    issue.level = InfluenceIssue.Level.EU
    issue.status = InfluenceIssue.Status.ACTIVE
    issue.save()
    draft.influence_issues.get(title="Fråga utan fokusområde").delete()
    make_issue(draft, title="EU:s sammanhållningspolitik")

    diff = services.compare_plans(adopted_2026, draft)

    assert diff.has_changes
    assert [area.title for area in diff.focus_areas.added] == ["Strategisk finansiering"]
    assert [area.title for area in diff.focus_areas.removed] == ["Påverkansagenda"]
    [changed] = diff.focus_areas.changed
    assert changed.title == "Matchning på arbetsmarknaden"
    changes = {change.label: change for change in changed.changes}
    assert set(changes) == {"Vision 2030", "Agenda 2030-mål", "Hållbarhetsdimensioner"}
    assert ("insert", "verkligen ") in changes["Vision 2030"].segments
    assert changes["Agenda 2030-mål"].added == ("5. Jämställdhet",)
    assert changes["Hållbarhetsdimensioner"].removed == ("Social hållbarhet",)

    assert [i.title for i in diff.influence_issues.added] == ["EU:s sammanhållningspolitik"]
    assert [i.title for i in diff.influence_issues.removed] == ["Fråga utan fokusområde"]
    changed_issues = {item.title: item for item in diff.influence_issues.changed}
    issue_changes = {
        change.label: (change.old, change.new)
        for change in changed_issues["Kompetensförsörjning"].changes
    }
    assert issue_changes == {
        "Nivå": ("Nationell och EU-nivå", "EU-nivå"),
        "Status": ("Vilande", "Aktiv"),
    }
    # Ostkustbanan's focus area was deleted in the draft, which the diff shows as a change.
    [focus_change] = changed_issues["Ostkustbanan"].changes
    assert (focus_change.label, focus_change.old, focus_change.new) == (
        "Fokusområde",
        "Påverkansagenda",
        "–",
    )
    assert diff.influence_issues.unchanged == []


def test_compare_matches_titles_ignoring_case_and_spacing(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    area = draft.focus_areas.get(title="Påverkansagenda")
    area.title = "påverkansagenda "
    area.save()
    diff = services.compare_plans(adopted_2026, draft)
    assert not diff.focus_areas.added and not diff.focus_areas.removed
    [changed] = diff.focus_areas.changed
    assert [change.label for change in changed.changes] == ["Rubrik"]


def test_compare_plan_fields(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    draft.purpose = "Ett nytt syfte med planen."
    draft.save()
    diff = services.compare_plans(adopted_2026, draft)
    assert [change.label for change in diff.plan_changes] == ["Syfte"]


def test_text_segments_mark_inserted_and_deleted_words():
    segments = services.text_segments("Vi arbetar tillsammans.", "Vi arbetar strategiskt ihop.")
    assert segments == (
        ("equal", "Vi arbetar "),
        ("delete", "tillsammans."),
        ("insert", "strategiskt ihop."),
    )


def test_text_segments_show_a_rewritten_sentence_as_old_then_new():
    """Shared spaces and small words ("om") must not chop a rewrite into fragments."""
    old = "Vi formerar oss för att ha en helhetsbild, oavsett om det är spetskompetens."
    new = "Ny mening om gröna investeringar."
    segments = services.text_segments(
        "År 2030 är vi alla representanter. " + old, "År 2030 är vi alla representanter. " + new
    )
    assert segments == (
        ("equal", "År 2030 är vi alla representanter. "),
        ("delete", old),
        ("insert", new),
    )


def test_text_segments_keep_an_unchanged_stretch_longer_than_the_changes_around_it():
    segments = services.text_segments(
        "Vi ska skapa fler jobb i hela länet år 2030.", "Vi ska skapa bättre jobb i hela länet."
    )
    assert segments == (
        ("equal", "Vi ska skapa "),
        ("delete", "fler"),
        ("insert", "bättre"),
        ("equal", " jobb i hela "),
        ("delete", "länet år 2030."),
        ("insert", "länet."),
    )


def test_compare_lists_added_goals_by_number_not_as_text(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    matchning = draft.focus_areas.get(title="Matchning på arbetsmarknaden")
    matchning.goals.add(*matchning.goals.model.objects.filter(number__in=[5, 13]))
    diff = services.compare_plans(adopted_2026, draft)
    [changed] = diff.focus_areas.changed
    [goals] = [change for change in changed.changes if change.label == "Agenda 2030-mål"]
    assert [tag.split(".")[0] for tag in goals.added] == ["5", "13"]


# --- R13: an adopted plan stays as agreed ---------------------------------------------------------


def test_adopted_plan_content_is_refused_by_the_service(adopted_2026):
    """Whoever calls (view, admin, shell): the adopted plan, its focus areas and its
    påverkansagenda are not changed, added to or deleted."""
    area = adopted_2026.focus_areas.first()
    issue = adopted_2026.influence_issues.first()
    adopted_2026.title = "Ny rubrik"
    area.vision_2030 = "Omskriven vision."
    for instance in (
        adopted_2026,
        area,
        FocusArea(plan=adopted_2026, title="Nytt område", vision_2030="."),
        InfluenceIssue(plan=adopted_2026, title="Ny fråga"),
    ):
        with pytest.raises(ValidationError, match="fastställd"):
            services.save_plan_content(instance=instance)
    for instance in (adopted_2026, area, issue):
        with pytest.raises(ValidationError, match="fastställd"):
            services.delete_plan_content(instance=instance)
    adopted_2026.refresh_from_db()
    area.refresh_from_db()
    assert adopted_2026.title == "Strategisk plan RUS"
    assert area.vision_2030 != "Omskriven vision."
    assert adopted_2026.focus_areas.count() == 2
    assert adopted_2026.influence_issues.count() == 3


def test_an_adopted_plans_issue_status_still_follows_the_work(adopted_2026):
    issue = adopted_2026.influence_issues.get(title="Ostkustbanan")
    services.set_issue_status(issue=issue, status=InfluenceIssue.Status.ACHIEVED)
    issue.refresh_from_db()
    assert issue.status == InfluenceIssue.Status.ACHIEVED


def test_a_drafts_content_is_saved_by_the_service(adopted_2026):
    draft = services.start_next_plan(plan=adopted_2026)
    area = FocusArea(plan=draft, title="Nytt område", vision_2030="År 2030.")
    services.save_plan_content(instance=area, m2m={"goals": []})
    assert draft.focus_areas.filter(title="Nytt område").exists()
    services.delete_plan_content(instance=area)
    assert not draft.focus_areas.filter(title="Nytt område").exists()
