"""Demo accounts for `seed_demo`: a known password and published two-factor secrets, so
never for a production database (`seed_demo` refuses to run with DEBUG off)."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from .models import User
from .services import user_create

DEMO_PASSWORD = "utds-demo-2026"  # noqa: S105 - printed by `make run`; demo data only

# Authenticator-app secrets of the demo accounts: published in the README, demo data only.
# `python manage.py demo_totp` prints their current codes.
DEMO_TOTP_SECRETS = {
    "sofia@utds.example": "DEMOSOFIADEMOSOFIADEMOSOFIA23456",
    "ana@quilmes.example": "DEMOANADEMOANADEMOANADEMOANA2345",
    "bruno@portoalegre.example": "DEMOBRUNODEMOBRUNODEMOBRUNO23456",
}

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
        Authenticator.objects.update_or_create(
            user=User.objects.get(email=email),
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRETS[email])}},
        )
        logins.append((email, "secretariat" if secretariat else "coordinator"))
    return logins


def current_code(secret: str, at: float | None = None) -> str:
    """The authenticator-app code of `secret` at `at` (now by default)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
