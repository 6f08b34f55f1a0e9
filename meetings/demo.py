"""Demo data for meetings and agendas.

A coming meeting of Regionala samverkansrådet with an approved agenda (information and position
items linked to the RUS, a presenter, an attachment), a later meeting in preparation, and one
the RUS group has handed over to the chair ("Beredd för ordföranden", waiting for approval).
Idempotent: a meeting is recognised by council and title and is not created twice. Works, with
less content, when the councils or strategy demo data are missing.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from councils.models import Council, Organisation, Person
from meetings import demo_invitations, demo_kallelse, demo_proposals
from meetings.calendar_days import day_remark
from meetings.models import AgendaItem, Meeting
from meetings.pdf import render_document_pdf
from meetings.services import agenda as agenda_services
from meetings.services import handover
from rus.models import FocusArea, InfluenceIssue, StrategicPlan

STOCKHOLM = ZoneInfo("Europe/Stockholm")
COUNCIL_SLUG = "regionala-samverkansradet"
APPROVED_TITLE = "Månadsmöte: strategisk finansiering och påverkan"
PREPARATION_TITLE = "Månadsmöte: kompetensförsörjning"
PREPARED_TITLE = "Månadsmöte: infrastruktur och kollektivtrafik"
VIDEO_LINK = "https://moten.example.org/regionala-samverkansradet"


def seed(*, users, strategy):
    council = Council.objects.filter(slug=COUNCIL_SLUG).first()
    if council is None:
        return None
    links = _rus_links(strategy)
    meetings = {
        "approved": _approved_meeting(council, users=users, links=links),
        "in_preparation": _meeting_in_preparation(council, users=users, links=links),
        "prepared_for_chair": _meeting_prepared_for_chair(council, users=users, links=links),
    }
    # Proposals and invitations add one call line each below, to their own modules.
    demo_proposals.seed_demo_proposals(users=users, strategy=strategy)
    demo_invitations.seed_demo_invitations(users=users)
    demo_kallelse.seed(meetings["approved"])
    return meetings


def _next_weekday(start, weekday):
    """The first `weekday` from `start` that is not a public holiday (Kristi himmelfärd falls on
    a Thursday), so that no demo meeting carries the holiday warning."""
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    while day_remark(day):
        day += datetime.timedelta(days=7)
    return day


def _at(date, hour, minute=0):
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def _rus_links(strategy):
    """Focus areas and influence issues of the plan in force, by title (may be empty)."""
    plans = StrategicPlan.objects.all()
    if strategy is not None:
        plans = plans.filter(strategy=strategy)
    plan = plans.current(timezone.localdate().year)
    if plan is None:
        return {"focus": {}, "issues": []}
    return {
        "focus": {area.title: area for area in FocusArea.objects.filter(plan=plan)},
        "issues": list(InfluenceIssue.objects.filter(plan=plan).order_by("title")),
    }


def _focus(links, *words):
    for title, area in links["focus"].items():
        if all(word.lower() in title.lower() for word in words):
            return area
    return next(iter(links["focus"].values()), None)


def _person(users, username):
    user = users.get(username) if users else None
    return Person.objects.filter(user=user).first() if user else None


def _region():
    return Organisation.objects.filter(name="Region Västernorrland").first()


def _approved_meeting(council, *, users, links):
    existing = Meeting.objects.filter(council=council, title=APPROVED_TITLE).first()
    if existing is not None:
        return existing
    day = _next_weekday(timezone.localdate() + datetime.timedelta(days=10), 3)  # a Thursday
    secretariat = users.get("kansli") if users else None
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=APPROVED_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=_at(day, 9),
        ends_at=_at(day, 11, 30),
        video_link=VIDEO_LINK,
    )
    meeting.start_agenda_preparation()
    presenter = _person(users, "rusgrupp") or Person.objects.active().first()
    region = _region()
    issues = links["issues"]

    information = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Lägesbild: sammanhållet etablerings- och företagsfrämjande",
        kind=AgendaItem.Kind.INFORMATION,
        focus_area=_focus(links, "etablering"),
        background=(
            "RUS-gruppen redovisar hur kommunernas och regionens insatser för etableringar "
            "samordnas och vilka förfrågningar som kommit in under hösten."
        ),
        presenter=presenter,
        proposing_organisation=region,
        estimated_minutes=20,
        is_prepared=True,
    )
    agenda_services.add_attachment(
        item=information,
        uploaded_file=ContentFile(
            render_document_pdf(
                title="Lägesbild etablerings- och företagsfrämjande",
                paragraphs=[
                    "Underlag till Regionala samverkansrådet (demodata).",
                    "Sedan förra mötet har länet tagit emot sju etableringsförfrågningar, "
                    "varav tre inom energiintensiv industri.",
                    "Förslag: en gemensam kontaktpunkt och en gemensam mark- och lokalbank.",
                ],
            ),
            name="Lägesbild etablering.pdf",
        ),
        user=secretariat,
        title="Lägesbild etablering (PDF)",
    )
    cohesion = agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Gemensam position: EU:s sammanhållningspolitik efter 2027",
        kind=AgendaItem.Kind.POSITION,
        focus_area=_focus(links, "finansiering"),
        influence_issue=issues[0] if issues else None,
        background=(
            "Kommissionens förslag till nästa långtidsbudget påverkar strukturfonderna i "
            "Mellersta Norrland. RUS-gruppen föreslår en gemensam position inför remissen."
        ),
        questions="Står alla organisationer bakom skrivningen om en platsbaserad politik?",
        presenter_name="Erik Extern",
        presenter_email="erik.extern@example.org",
        proposing_organisation=region,
        estimated_minutes=30,
        is_prepared=True,
    )
    # A document whose text search finds ("finansiering"): extracted from the PDF by
    # search.tasks.extract_file_text when it is uploaded.
    agenda_services.add_attachment(
        item=cohesion,
        uploaded_file=ContentFile(
            render_document_pdf(
                title="Remissunderlag: finansiering av regional utveckling efter 2027",
                paragraphs=[
                    "Underlag till Regionala samverkansrådet (demodata).",
                    "Strukturfonderna står i dag för en stor del av finansieringen av "
                    "regional utveckling i Mellersta Norrland.",
                    "Förslag: länets organisationer verkar för en platsbaserad "
                    "sammanhållningspolitik och en fortsatt regional finansiering.",
                ],
            ),
            name="Remissunderlag sammanhållningspolitik.pdf",
        ),
        user=secretariat,
        title="Remissunderlag sammanhållningspolitik (PDF)",
    )
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Påverkansagendan: prioriteringar inför våren",
        kind=AgendaItem.Kind.POSITION,
        focus_area=_focus(links, "påverkan"),
        influence_issue=issues[1] if len(issues) > 1 else None,
        background="Förslag till tre prioriterade sakfrågor för det gemensamma påverkansarbetet.",
        presenter=presenter,
        estimated_minutes=25,
        is_prepared=True,
    )
    approver = users.get("ordforande") if users else None
    if not meeting.approval_problems():
        agenda_services.approve_agenda(meeting=meeting, user=approver)
    return meeting


def _meeting_in_preparation(council, *, users, links):
    existing = Meeting.objects.filter(council=council, title=PREPARATION_TITLE).first()
    if existing is not None:
        return existing
    day = _next_weekday(timezone.localdate() + datetime.timedelta(days=40), 3)
    secretariat = users.get("kansli") if users else None
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=PREPARATION_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=_at(day, 9),
        ends_at=_at(day, 11, 30),
        video_link=VIDEO_LINK,
    )
    meeting.start_agenda_preparation()
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Matchning på arbetsmarknaden: regional kompetensplattform",
        kind=AgendaItem.Kind.INFORMATION,
        focus_area=_focus(links, "matchning"),
        background="Arbetsförmedlingen och regionen berättar om det gemensamma arbetet.",
        presenter=_person(users, "rusgrupp"),
        estimated_minutes=20,
    )
    # A position item still being prepared: no background yet, so the agenda cannot be
    # approved and the page says why (R12).
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Ställningstagande: gemensam satsning på yrkesutbildning",
        kind=AgendaItem.Kind.POSITION,
        focus_area=_focus(links, "matchning"),
        estimated_minutes=30,
    )
    return meeting


def _meeting_prepared_for_chair(council, *, users, links):
    """Every item prepared and the agenda handed over by the RUS group: the chair finds it on
    the start page (and got a mail), waiting for approval (R6, R7)."""
    existing = Meeting.objects.filter(council=council, title=PREPARED_TITLE).first()
    rus_group = users.get("rusgrupp") if users else None
    if existing is not None or rus_group is None:
        return existing
    day = _next_weekday(timezone.localdate() + datetime.timedelta(days=68), 3)
    secretariat = users.get("kansli")
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=PREPARED_TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=_at(day, 9),
        ends_at=_at(day, 11),
        video_link=VIDEO_LINK,
    )
    meeting.start_agenda_preparation()
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Lägesbild: regional transportinfrastrukturplan",
        kind=AgendaItem.Kind.INFORMATION,
        focus_area=_focus(links, "finansiering"),
        background="Regionen redovisar arbetet med länsplanen för transportinfrastruktur.",
        presenter=_person(users, "rusgrupp"),
        estimated_minutes=20,
        is_prepared=True,
    )
    # R12 (c): specific questions instead of a background are enough.
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Ställningstagande: gemensamma krav på Ostkustbanan",
        kind=AgendaItem.Kind.POSITION,
        focus_area=_focus(links, "påverkan"),
        questions=(
            "Kan rådet enas om kraven på dubbelspår Sundsvall–Gävle? "
            "Behöver någon organisation fatta ett eget beslut efteråt?"
        ),
        proposing_organisation=_region(),
        estimated_minutes=30,
        is_prepared=True,
    )
    return handover.declare_prepared(meeting=meeting, user=rus_group)
