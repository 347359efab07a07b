"""Demo accounts for `seed_demo`: a known password, so never for a production database."""

from allauth.account.models import EmailAddress

from .models import User
from .services import user_create

DEMO_PASSWORD = "utds-demo-2026"  # noqa: S105 - printed by `make run`; demo data only

# (e-mail, name, language, secretariat)
DEMO_USERS = [
    ("sofia@utds.example", "Sofía Benítez", "es", True),
    ("ana@quilmes.example", "Ana Pereyra", "es", False),
    ("bruno@portoalegre.example", "Bruno Carvalho", "pt-br", False),
]


def seed() -> list[tuple[str, str]]:
    """Create the demo users once; return (e-mail, role) for the logins printout."""
    logins = []
    for email, name, language, secretariat in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                language=language,
                secretariat=secretariat,
            )
        else:
            EmailAddress.objects.get_or_create(
                email=email,
                defaults={"user": User.objects.get(email=email), "verified": True, "primary": True},
            )
        logins.append((email, "secretariat" if secretariat else "coordinator"))
    return logins
