"""Load the Västernorrland demo data. Safe to run again: it only adds what is missing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from councils import demo as councils_demo
from followups import demo as followups_demo
from meetings import demo as meetings_demo
from protocols import demo as protocols_demo
from rus import demo as rus_demo
from search import extraction, indexing

DEMO_PASSWORD = "samverkan-demo"
DEMO_USERS = [
    ("kansli", "Kansliet (sekretariat)"),
    ("ordforande", "Ordförande i Regionala samverkansrådet"),
    ("ledamot", "Ledamot i Regionala samverkansrådet"),
    ("rusgrupp", "Ledamot i strategiska RUS-gruppen"),
    ("admin", "Administratör (superanvändare)"),
]


class Command(BaseCommand):
    help = "Lägger in demodata för Västernorrland (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Kör även när DEBUG är avstängt (produktion)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo lägger in demoanvändare med kända lösenord och körs inte när DEBUG är "
                "avstängt. Använd --force om du verkligen vill."
            )
        with transaction.atomic():
            users = self.create_users()
            strategy = rus_demo.seed()
            councils_demo.seed(users=users)
            meetings_demo.seed(users=users, strategy=strategy)
            protocols_demo.seed(users=users)
            followups_demo.seed(users=users)
            # Rows made in bulk send no signals, and inside a test's transaction nothing is
            # indexed on commit: the demo indexes everything, files' text included (search/).
            extraction.extract_missing()
            indexing.reindex_all()
        self.stdout.write(self.style.SUCCESS(f"Demodata klar. Logga in på {settings.SITE_URL}/"))
        self.stdout.write(f"Lösenord för alla demoanvändare: {DEMO_PASSWORD}")
        for username, description in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {description}")

    def create_users(self):
        User = get_user_model()
        users = {}
        for username, _ in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
            users[username] = user
        return users
