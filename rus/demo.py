"""Demo data for the strategy: RUS 2020–2030 "Ett Västernorrland" and its strategic plan.

The four focus areas, their 2030 visions and the capacity they need are quoted verbatim from the
seed document (Strategisk plan RUS). Target areas, influence issues and sub-strategies are
plausible inventions for the demo. Two adopted versions (2025 and 2026) differ a little, so the
diff view has something to show (R13). Safe to run again: only what is missing is added.
"""

import datetime

from django.conf import settings

from .models import (
    FocusArea,
    InfluenceIssue,
    OutgoingMail,
    StrategicPlan,
    Strategy,
    SubStrategy,
    SustainabilityDimension,
    SustainabilityGoal,
    TargetArea,
)
from .outbox.failures import FailureKind
from .outbox.models import DeliveryStatus

STRATEGY_NAME = "Regional utvecklingsstrategi för Västernorrland"

TARGET_AREAS = [
    "Ett Västernorrland med innovativt och konkurrenskraftigt näringsliv",
    "Ett Västernorrland med god kompetensförsörjning",
    "Ett Västernorrland med god tillgänglighet",
    "Ett Västernorrland med attraktiva och hållbara livsmiljöer",
]

PURPOSE = (
    "Genom den strategiska planen väljer Regionala och stora samverkansråden att särskilt lyfta "
    "ett begränsat antal områden eller frågor som är förutsättningskapande för RUS målområden – "
    "och som skapar kapacitet och långsiktighet. Dessa områden eller frågor:\n\n"
    "- Kräver strategiska beslut från högsta politiska ledning i kommuner och region.\n"
    "- Är tidsmässigt angelägna, där strategiska vägval behöver göras här och nu.\n\n"
    "Den strategiska planen blir en viljeinriktning för Regionala och Stora samverkansråden för "
    "de närmaste åren. Planen aktualiseras årligen och justeras vid behov."
)

ETABLERING = "Sammanhållet etablerings- och företagsfrämjande"
PAVERKAN = "Påverkansagenda"
MATCHNING = "Matchning på arbetsmarknaden"
FINANSIERING = "Strategisk finansiering"

MATCHNING_CAPACITY_2025 = (
    "Så väl sakpolitiska områden som uppdragens organisering behöver koordineras på nya sätt för "
    "att vi ska nå resultat. Målsättningen är sektors- och aktörsövergripande insatser och "
    "arbetssätt för att vi ska lyckas med utmaningen matchning på arbetsmarknaden. Gemensamt "
    "behöver vi identifiera insatser som både möter nuvarande och framtida behov på "
    "arbetsmarknaden och ökar vår attraktivitet."
)

# (title, vision 2030, capacity needed, Agenda 2030 goal numbers, dimension codes): verbatim.
FOCUS_AREAS = [
    (
        ETABLERING,
        "År 2030 är vi alla representanter för Västernorrland. Vi formerar oss för att ha en "
        "helhetsbild av vilka investeringar och vilka kompetenser som skulle tillföra mest "
        "mervärde för länet. Utåt arbetar vi strategiskt som en enhet för att skapa och attrahera "
        "den kompetens som behövs, oavsett om det är spetskompetens för styrkeområden eller "
        "värdefull kärnkompetens i moderna offentliga förvaltningar. Vi hjälps åt för att se till "
        "att etablera investeringar till länet, oavsett var de etableras.",
        "Inom området behövs gemensam drifts- som utvecklingskapacitet i form av regional "
        "planering, med målsättningen att skapa långsiktig och koordinerad organisering som "
        "stärker länets förmåga att attrahera nya företag, nya organisationer och fler invånare. "
        "Samtidigt som det befintliga näringslivets utveckling främjas.",
        [8, 9],
        ["economic", "social"],
    ),
    (
        PAVERKAN,
        "År 2030 arbetar vi på enad front för att påverka nationell och EU-nivå inom en rad "
        "politikområden för att skapa rätt förutsättningar för utveckling och tillväxt i "
        "Västernorrland. Genom det arbetet ökar möjligheterna att tillvarata länets potential och "
        "säkerställer att nationell och EU-politik är flexibel nog att kunna anpassas till "
        "regioner som Västernorrland. Påverkansarbetet är samordnat över länsgränserna och sker "
        "också tillsammans med andra relevanta aktörer, nationellt och internationellt.",
        "Till den strategiska planen kopplas därför en påverkansagenda som förtydligar vilka "
        "områden och sakfrågor som är gemensamma för länets bästa- och där påverkansarbete bör "
        "ske med gemensam kraft. Målsättningen är också att säkerställa kapacitet för gemensamma "
        "insatser.",
        [9, 11, 17],
        ["ecological", "social", "economic"],
    ),
    (
        MATCHNING,
        "År 2030 har vi haft ett antal år med allt snabbare strukturomvandling med en delvis "
        "förändrad arbetsmarknad där nya yrken uppstått. Vårt gemensamma arbete har säkerställt "
        "att företag och organisationer kan tillgodose sina kompetensbehov. År 2030 har vi ett "
        "utbildningsutbud som i stor utsträckning möter arbetsmarknadens reella behov av både "
        "bredd- och spetskompetens inom akademiska och yrkesinriktade utbildningar. Vårt "
        "näringsliv och våra organisationer deltar aktivt i arbetet med att utbilda och informera "
        "om arbetslivets nuvarande och framtida möjligheter. Outnyttjad kompetens välkomnas och "
        "tas till vara. I Västernorrland gör vi plats för alla.",
        MATCHNING_CAPACITY_2025 + " Utifrån behoven implementera modeller som gör att vi "
        "samtidigt nyttjar tillgänglig arbetskraft på bästa sätt.",
        [4, 5, 8, 10],
        ["social", "economic"],
    ),
    (
        FINANSIERING,
        "År 2030 bidrar insatser för entreprenörskap och en tydlig stödstruktur till en "
        "utveckling där en mångfald av företag och företag som på lika villkor har möjlighet att "
        "bidra till en hållbar tillväxt, samtidigt som vi tar tydliga steg mot ekologisk och "
        "social hållbarhet.",
        "I Västernorrland behöver vi mer systematiskt öka förmågan att attrahera och komplettera "
        "regionala privata och offentliga satsningar med nationella och internationella "
        "konkurrensutsatta medel.\n\n"
        "Vi är i högre grad än tidigare beroende av samfinansiering för att hantera gemensamma "
        "utmaningar. Finansieringskällor behöver användas mer strategiskt och kunskapen om "
        "kompletterande finansieringskällor utökas.\n\n"
        "Inom fokusområdet behövs strategiska ställningstaganden för att säkerställa att den "
        "gemensamma offentliga och privata finansieringen ger en hävstångseffekt i såväl enskilda "
        "företagsatsningar som för gemensamma långsiktiga strukturer.",
        [8, 9, 13, 17],
        ["economic", "ecological", "social"],
    ),
]

# (title, level, focus area, description, status)
INFLUENCE_ISSUES_2026 = [
    (
        "Utbyggnad av Ostkustbanan till dubbelspår",
        InfluenceIssue.Level.NATIONAL,
        PAVERKAN,
        "Gemensamt påverkansarbete för att utbyggnaden av Ostkustbanan prioriteras och "
        "finansieras i den nationella planen för transportinfrastruktur.",
        InfluenceIssue.Status.ACTIVE,
    ),
    (
        "EU:s sammanhållningspolitik efter 2027",
        InfluenceIssue.Level.EU,
        FINANSIERING,
        "Sammanhållningspolitiken ska även efter 2027 omfatta alla regioner och ta hänsyn till "
        "glest befolkade områden. Samordnas med övriga län i Mellersta Norrland.",
        InfluenceIssue.Status.ACTIVE,
    ),
    (
        "Kompetensförsörjning och regionalt utbildningsutbud",
        InfluenceIssue.Level.NATIONAL,
        MATCHNING,
        "Statliga medel och regelverk för yrkesutbildning och högre utbildning som möter länets "
        "behov av både bredd- och spetskompetens.",
        InfluenceIssue.Status.ACTIVE,
    ),
    (
        "Elnät och energiförsörjning för nyetableringar",
        InfluenceIssue.Level.BOTH,
        ETABLERING,
        "Kapacitet i elnätet så att nya etableringar och befintligt näringsliv kan växa i hela "
        "länet.",
        InfluenceIssue.Status.ACTIVE,
    ),
]

INFLUENCE_ISSUES_2025 = [
    INFLUENCE_ISSUES_2026[0],
    (
        "EU:s sammanhållningspolitik efter 2027",
        InfluenceIssue.Level.EU,
        FINANSIERING,
        "Sammanhållningspolitiken ska även efter 2027 omfatta alla regioner och ta hänsyn till "
        "glest befolkade områden.",
        InfluenceIssue.Status.ACTIVE,
    ),
    INFLUENCE_ISSUES_2026[2],
    (
        "Lokalisering av statliga arbetstillfällen",
        InfluenceIssue.Level.NATIONAL,
        PAVERKAN,
        "Fler statliga arbetstillfällen och myndighetsfunktioner förläggs till länet.",
        InfluenceIssue.Status.ACHIEVED,
    ),
]

SUB_STRATEGIES = [
    (
        "Regional transportinfrastrukturplan för Västernorrland",
        "Region Västernorrland",
        "Länets plan för investeringar i regional transportinfrastruktur.",
    ),
    (
        "Smart specialiseringsstrategi för Västernorrland",
        "Region Västernorrland",
        "Länets prioriterade styrkeområden för forskning och innovation.",
    ),
    (
        "Regionalfondsprogram för Mellersta Norrland",
        "Strukturfondspartnerskapet i Mellersta Norrland",
        "Det europeiska regionalfondsprogrammet för Västernorrland och Jämtlands län.",
    ),
]


def seed():
    strategy, _ = Strategy.objects.get_or_create(
        name=STRATEGY_NAME,
        defaults={
            "motto": "Ett Västernorrland",
            "start_year": 2020,
            "end_year": 2030,
            "description": (
                "Västernorrlands regionala utvecklingsstrategi är utgångspunkten för Regionala "
                "och Stora samverkansrådet. I enlighet med RUS är hållbarhet i alla tre "
                "dimensioner en grundläggande utgångspunkt."
            ),
        },
    )
    for position, title in enumerate(TARGET_AREAS, start=1):
        TargetArea.objects.get_or_create(
            strategy=strategy, title=title, defaults={"position": position}
        )
    for name, owner, description in SUB_STRATEGIES:
        SubStrategy.objects.get_or_create(
            strategy=strategy, name=name, defaults={"owner": owner, "description": description}
        )

    plan_2025 = _plan(
        strategy,
        2025,
        adopted_on=datetime.date(2024, 12, 12),
        based_on=None,
        focus_areas=_focus_areas_2025(),
        issues=INFLUENCE_ISSUES_2025,
    )
    _plan(
        strategy,
        2026,
        adopted_on=datetime.date(2025, 12, 11),
        based_on=plan_2025,
        focus_areas=FOCUS_AREAS,
        issues=INFLUENCE_ISSUES_2026,
    )
    _failed_notice()
    return strategy


def _failed_notice():
    """A notice the mail server refused, for the secretariat's Utgående e-post page."""
    OutgoingMail.objects.get_or_create(
        template="password_reset",
        to=["okand.adress@example.org"],
        status=DeliveryStatus.FAILED,
        defaults={
            "context": {"reset_url": f"{settings.SITE_URL}/konto/logga-in/", "username": "okand"},
            "subject": "Återställ ditt lösenord i Samverkan",
            "attempts": 1,
            "failure_kind": FailureKind.ADDRESS_REFUSED,
            "last_error": (
                "SMTPRecipientsRefused: {'okand.adress@example.org': (550, b'5.1.1 User unknown')}"
            ),
        },
    )


def _focus_areas_2025():
    """Last year's version: a shorter capacity text and one goal fewer for Matchning."""
    areas = []
    for title, vision, capacity, goals, dimensions in FOCUS_AREAS:
        if title == MATCHNING:
            capacity = MATCHNING_CAPACITY_2025
            goals = [goal for goal in goals if goal != 5]
        areas.append((title, vision, capacity, goals, dimensions))
    return areas


def _plan(strategy, year, *, adopted_on, based_on, focus_areas, issues):
    existing = StrategicPlan.objects.filter(strategy=strategy, year=year).first()
    if existing is not None:
        return existing
    plan = StrategicPlan.objects.create(
        strategy=strategy,
        year=year,
        purpose=PURPOSE,
        based_on=based_on,
        status=StrategicPlan.Status.ADOPTED,
        adopted_on=adopted_on,
    )
    goals = {goal.number: goal for goal in SustainabilityGoal.objects.all()}
    dimensions = {dimension.code: dimension for dimension in SustainabilityDimension.objects.all()}
    by_title = {}
    for position, (title, vision, capacity, goal_numbers, codes) in enumerate(focus_areas, start=1):
        area = FocusArea.objects.create(
            plan=plan,
            title=title,
            vision_2030=vision,
            capacity_needed=capacity,
            position=position,
        )
        area.goals.set([goals[number] for number in goal_numbers])
        area.dimensions.set([dimensions[code] for code in codes])
        by_title[title] = area
    for title, level, focus_area, description, status in issues:
        InfluenceIssue.objects.create(
            plan=plan,
            focus_area=by_title[focus_area],
            title=title,
            level=level,
            description=description,
            status=status,
        )
    return plan
