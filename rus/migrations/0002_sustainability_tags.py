"""The 17 Agenda 2030 goals and the three sustainability dimensions (R14) as fixed rows."""

from django.db import migrations

GOALS = [
    (1, "Ingen fattigdom"),
    (2, "Ingen hunger"),
    (3, "God hälsa och välbefinnande"),
    (4, "God utbildning för alla"),
    (5, "Jämställdhet"),
    (6, "Rent vatten och sanitet för alla"),
    (7, "Hållbar energi för alla"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt"),
    (9, "Hållbar industri, innovationer och infrastruktur"),
    (10, "Minskad ojämlikhet"),
    (11, "Hållbara städer och samhällen"),
    (12, "Hållbar konsumtion och produktion"),
    (13, "Bekämpa klimatförändringarna"),
    (14, "Hav och marina resurser"),
    (15, "Ekosystem och biologisk mångfald"),
    (16, "Fredliga och inkluderande samhällen"),
    (17, "Genomförande och globalt partnerskap"),
]
DIMENSIONS = [
    ("ecological", "Ekologisk hållbarhet"),
    ("social", "Social hållbarhet"),
    ("economic", "Ekonomisk hållbarhet"),
]


def add_tags(apps, schema_editor):
    Goal = apps.get_model("rus", "SustainabilityGoal")
    Dimension = apps.get_model("rus", "SustainabilityDimension")
    for number, title in GOALS:
        Goal.objects.update_or_create(number=number, defaults={"title": title})
    for code, name in DIMENSIONS:
        Dimension.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("rus", "0001_initial")]

    operations = [migrations.RunPython(add_tags, migrations.RunPython.noop)]
