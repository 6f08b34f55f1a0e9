"""Demo data for organisations, people, councils and memberships (R1–R3, R6).

Every person is invented (names made up, addresses at example.org). Idempotent: running it again
adds only what is missing. One R2 gap is left on purpose: Timrå kommun has no opposition member,
so the composition warning shows on the council page.
"""

import datetime

from .models import Council, Membership, Organisation, Person

START = datetime.date(2023, 1, 1)

K = Organisation.Kind
MUNICIPALITIES = [
    "Härnösand",
    "Kramfors",
    "Sollefteå",
    "Sundsvall",
    "Timrå",
    "Ånge",
    "Örnsköldsvik",
]
# The municipalities' own names (a genitive s where Swedish usage has one).
MUNICIPALITY_NAMES = {
    "Härnösand": "Härnösands kommun",
    "Kramfors": "Kramfors kommun",
    "Sollefteå": "Sollefteå kommun",
    "Sundsvall": "Sundsvalls kommun",
    "Timrå": "Timrå kommun",
    "Ånge": "Ånge kommun",
    "Örnsköldsvik": "Örnsköldsviks kommun",
}

ORGANISATIONS = [
    *[(MUNICIPALITY_NAMES[m], m, K.MUNICIPALITY) for m in MUNICIPALITIES],
    ("Region Västernorrland", "RVN", K.REGION),
    ("Länsstyrelsen Västernorrland", "Länsstyrelsen", K.COUNTY_BOARD),
    ("Kommunförbundet Västernorrland", "Kommunförbundet", K.MUNICIPAL_ASSOCIATION),
    (
        "Strukturfondspartnerskapet Mellersta Norrland",
        "Strukturfondspartnerskapet",
        K.STRUCTURAL_FUND_PARTNERSHIP,
    ),
    ("Mittuniversitetet", "MIUN", K.UNIVERSITY),
    ("Tillväxtverket", "", K.NATIONAL_AGENCY),
    ("Trafikverket", "", K.NATIONAL_AGENCY),
    ("Arbetsförmedlingen", "", K.NATIONAL_AGENCY),
    ("Almi Företagspartner Mitt", "Almi Mitt", K.BUSINESS_PROMOTION),
    ("Företagarna Västernorrland", "Företagarna", K.BUSINESS_PROMOTION),
    ("Coompanion Västernorrland", "Coompanion", K.CIVIL_SOCIETY),
    ("Hela Sverige ska leva Västernorrland", "HSSL Västernorrland", K.CIVIL_SOCIETY),
]

COUNCILS = [
    (
        "Regionala samverkansrådet",
        "regionala-samverkansradet",
        Council.Kind.REGIONAL,
        "En gång i månaden, digitalt; längre fysiska möten vid behov och ett strategiskt "
        "planeringsmöte per år (lunch–lunch).",
        "Förtroendevalda i majoritet och opposition från varje kommun och från Region "
        "Västernorrland. Rådet är rådgivande; ställningstaganden sker i konsensus.",
        True,
    ),
    (
        "Stora samverkansrådet",
        "stora-samverkansradet",
        Council.Kind.BROAD,
        "Två till tre gånger per år.",
        "Det bredare regionala partnerskapet: kommuner, region, länsstyrelse, nationella "
        "myndigheter, universitet, näringslivsfrämjande organisationer och civilsamhälle.",
        True,
    ),
    (
        "Strategiska RUS-gruppen",
        "strategiska-rus-gruppen",
        Council.Kind.PREPARATION,
        "Inför varje möte i samverkansråden.",
        "Bereder dagordningen för samverkansrådens möten: kommunernas tillväxt- och "
        "utvecklingschefer, regionens regionala utvecklingsdirektör och representanter för "
        "Länsstyrelsen och Kommunförbundet.",
        False,
    ),
]

# Invented names; combined deterministically so every demo person is unique and fictional.
GIVEN = [
    "Agnes", "Bertil", "Cecilia", "Dragan", "Elin", "Fredrik", "Greta", "Hampus", "Ingrid",
    "Jonas", "Karin", "Leo", "Maja", "Nils", "Olivia", "Per", "Rut", "Sami", "Tove", "Ulf",
    "Vera", "Wilhelm", "Ylva", "Åsa", "Östen", "Amira", "Birk", "Dalia", "Erik", "Frida",
]  # fmt: skip
FAMILY = [
    "Fjällvik", "Norrstrand", "Älvbacka", "Granudden", "Tjärnlund", "Myrberg", "Sälgvik",
    "Lövnäs", "Hällström", "Forsmark", "Bäckudden", "Tallåsen", "Kustvik", "Stenbrott",
    "Ljungdal", "Björkås", "Nipvik", "Åkerholm", "Rönnmyr", "Videlund", "Sjöhaga", "Kvarnbo",
]  # fmt: skip


def _email(given, family):
    table = str.maketrans("åäöÅÄÖé", "aaoAAOe")
    return f"{given}.{family}".translate(table).lower() + "@example.org"


class _Seeder:
    def __init__(self):
        self.n = 0
        self.orgs = {}

    def organisations(self):
        for name, short_name, kind in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "kind": kind}
            )
            self.orgs[name] = org

    def councils(self):
        councils = {}
        for name, slug, kind, cadence, description, public in COUNCILS:
            council, _ = Council.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "cadence": cadence,
                    "description": description,
                    "publishes_protocols": public,
                    "publishes_meeting_schedule": public,
                    # The regional council has its kallelse med handlingar attached to the
                    # invitation mail; the others link it (the default).
                    "attach_kallelse": kind == Council.Kind.REGIONAL,
                },
            )
            councils[slug] = council
        return councils

    def person(self, org_name, title, user=None, name=None):
        if name is None:
            given = GIVEN[self.n % len(GIVEN)]
            family = FAMILY[(self.n * 7) % len(FAMILY)]
            self.n += 1
        else:
            given, family = name
        person, _ = Person.objects.get_or_create(
            email=_email(given, family),
            defaults={
                "given_name": given,
                "family_name": family,
                "title": title,
                "organisation": self.orgs[org_name],
            },
        )
        if user is not None and person.user_id is None:
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
        return person

    @staticmethod
    def seat(person, council, org, role=Membership.Role.MEMBER, side=None, function=""):
        side = side or Membership.Side.NOT_APPLICABLE
        membership, _ = Membership.objects.get_or_create(
            person=person,
            council=council,
            role=role,
            end_date=None,
            defaults={
                "organisation": org,
                "side": side,
                "function": function,
                "start_date": START,
            },
        )
        return membership


def seed(*, users):
    s = _Seeder()
    s.organisations()
    councils = s.councils()
    regional = councils["regionala-samverkansradet"]
    broad = councils["stora-samverkansradet"]
    rus_group = councils["strategiska-rus-gruppen"]
    orgs = s.orgs
    MAJ, OPP = Membership.Side.MAJORITY, Membership.Side.OPPOSITION
    R = Membership.Role
    region = orgs["Region Västernorrland"]

    # Regionala samverkansrådet (R2): majority and opposition from the region and every
    # municipality. The chair is the region's majority member (demo user `ordforande`).
    chair = s.person(
        "Region Västernorrland",
        "Regionstyrelsens ordförande",
        user=users.get("ordforande"),
        name=("Margit", "Ordförandesson"),
    )
    s.seat(chair, regional, region, R.CHAIR, MAJ)
    s.seat(chair, broad, region, R.CHAIR, MAJ)
    region_opp = s.person("Region Västernorrland", "Oppositionsråd")
    s.seat(region_opp, regional, region, R.MEMBER, OPP)

    for municipality in MUNICIPALITIES:
        org_name = MUNICIPALITY_NAMES[municipality]
        org = orgs[org_name]
        if municipality == "Sundsvall":
            majority = s.person(
                org_name,
                "Kommunstyrelsens ordförande",
                user=users.get("ledamot"),
                name=("Lars", "Ledamotsson"),
            )
        else:
            majority = s.person(org_name, "Kommunstyrelsens ordförande")
        role = R.VICE_CHAIR if municipality == "Örnsköldsvik" else R.MEMBER
        s.seat(majority, regional, org, role, MAJ)
        s.seat(majority, broad, org, R.MEMBER, MAJ)
        if municipality != "Timrå":  # the one gap left on purpose (R2 warning)
            opposition = s.person(org_name, "Oppositionsråd")
            s.seat(opposition, regional, org, R.MEMBER, OPP)
        # Speaking right: the municipal chief executives (R2).
        chief = s.person(org_name, "Kommundirektör")
        s.seat(chief, regional, org, R.SPEAKING_RIGHT, function="Kommunchef")
        # The RUS group: the municipalities' growth or development chiefs (R6).
        if municipality == "Härnösand":
            developer = s.person(
                org_name, "Tillväxtchef", user=users.get("rusgrupp"), name=("Rut", "Beredare")
            )
        else:
            developer = s.person(org_name, "Utvecklingschef")
        s.seat(developer, rus_group, org, R.PREPARATION, function="Tillväxt-/utvecklingschef")

    # A substitute, linked to the member she stands in for.
    sundsvall_majority = Membership.objects.filter(
        council=regional, organisation=orgs["Sundsvalls kommun"], side=MAJ, end_date=None
    ).first()
    substitute = s.person("Sundsvalls kommun", "Kommunalråd")
    if not Membership.objects.filter(person=substitute, council=regional).exists():
        Membership.objects.create(
            person=substitute,
            council=regional,
            organisation=orgs["Sundsvalls kommun"],
            role=R.SUBSTITUTE,
            side=MAJ,
            substitute_for=sundsvall_majority,
            start_date=START,
        )

    # Adjunct: the county administrative board's top leadership (R2).
    county = orgs["Länsstyrelsen Västernorrland"]
    governor = s.person("Länsstyrelsen Västernorrland", "Landshövding")
    s.seat(governor, regional, county, R.ADJUNCT, function="Landshövding")
    s.seat(governor, broad, county, R.MEMBER, function="Landshövding")
    county_rus = s.person("Länsstyrelsen Västernorrland", "Enhetschef regional utveckling")
    s.seat(county_rus, rus_group, county, R.PREPARATION)

    # Speaking right: officials' support and the structural-fund partnership's chair (R2).
    director = s.person("Region Västernorrland", "Regiondirektör")
    s.seat(director, regional, region, R.SPEAKING_RIGHT, function="Regiondirektör")
    development_director = s.person("Region Västernorrland", "Regional utvecklingsdirektör")
    s.seat(
        development_director,
        regional,
        region,
        R.SPEAKING_RIGHT,
        function="Regional utvecklingsdirektör",
    )
    s.seat(development_director, rus_group, region, R.CHAIR, function="Sammankallande")
    association = orgs["Kommunförbundet Västernorrland"]
    association_director = s.person("Kommunförbundet Västernorrland", "Förbundsdirektör")
    s.seat(
        association_director, regional, association, R.SPEAKING_RIGHT, function="Förbundsdirektör"
    )
    association_rus = s.person("Kommunförbundet Västernorrland", "Utvecklingsstrateg")
    s.seat(association_rus, rus_group, association, R.PREPARATION)
    partnership = orgs["Strukturfondspartnerskapet Mellersta Norrland"]
    partnership_chair = s.person(
        "Strukturfondspartnerskapet Mellersta Norrland", "Ordförande i partnerskapet"
    )
    s.seat(
        partnership_chair,
        regional,
        partnership,
        R.SPEAKING_RIGHT,
        function="Ordförande",
    )

    # Stora samverkansrådet (R3): agencies, the university, business promotion, civil society.
    for org_name, title in [
        ("Mittuniversitetet", "Rektor"),
        ("Tillväxtverket", "Avdelningschef"),
        ("Trafikverket", "Regionchef"),
        ("Arbetsförmedlingen", "Marknadsområdeschef"),
        ("Almi Företagspartner Mitt", "Vd"),
        ("Företagarna Västernorrland", "Regionchef"),
        ("Coompanion Västernorrland", "Verksamhetsledare"),
        ("Hela Sverige ska leva Västernorrland", "Ordförande"),
    ]:
        s.seat(s.person(org_name, title), broad, orgs[org_name], R.MEMBER)
    s.seat(partnership_chair, broad, partnership, R.MEMBER)

    # The secretariat: Region Västernorrland's staff (R8), demo user `kansli`.
    secretary = s.person(
        "Region Västernorrland",
        "Handläggare, kansli för samverkansråden",
        user=users.get("kansli"),
        name=("Klara", "Kanslisson"),
    )
    for council in (regional, broad):
        s.seat(secretary, council, region, R.SECRETARY, function="Sekreterare")
    return councils
