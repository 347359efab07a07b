"""What the portal holds about the logged-in person, as a JSON download. Composed here
because the data lives in every app."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cities.models import CityCoordinator, CoordinatorInvitation, MembershipApplication
from events.models import Delegate, Registration
from experiences.models import Practice
from funding.models import FundingInterest


def personal_data(user) -> dict:
    """Everything stored about `user` or under their e-mail address; a fixed number of
    queries (eight) whatever the amount of data."""
    email = user.email
    # the addresses and the two-factor methods: short lists, one query for both
    logins = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            email_addresses=ArraySubquery(
                user.emailaddress_set.model.objects.filter(user=OuterRef("pk"))
                .order_by("pk")
                .values(row=JSONObject(email="email", verified="verified", primary="primary"))
            ),
            two_factor_methods=ArraySubquery(
                user.authenticator_set.model.objects.filter(user=OuterRef("pk"))
                .order_by("pk")
                .values("type")
            ),
        )
        .values("email_addresses", "two_factor_methods")
        .get()
    )
    return {
        "exported_at": timezone.now(),
        "account": {
            "email": email,
            "name": user.name,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": logins["email_addresses"],
            "two_factor_methods": logins["two_factor_methods"],
        },
        "coordinated_cities": list(
            CityCoordinator.objects.filter(user=user).values("city__slug", "city__name", "since")
        ),
        "practices_written": list(
            Practice.objects.filter(author=user).values("slug", "title", "status", "created_at")
        ),
        "event_registrations_made": list(
            Registration.objects.filter(registered_by=user).values(
                "event__slug", "city__slug", "status", "attendees", "created_at"
            )
        ),
        "listed_as_delegate": list(
            Delegate.objects.filter(email__iexact=email).values(
                "registration__event__slug", "name", "position", "email", "consented_at"
            )
        ),
        "funding_interests_marked": list(
            FundingInterest.objects.filter(marked_by=user).values(
                "call__slug", "city__slug", "note", "created_at"
            )
        ),
        "invitations_received": list(
            CoordinatorInvitation.objects.filter(email__iexact=email).values(
                "city__slug", "created_at", "expires_at", "accepted_at"
            )
        ),
        "membership_applications": list(
            MembershipApplication.objects.filter(email__iexact=email).values(
                "city_name", "country", "contact_name", "position", "status", "created_at"
            )
        ),
    }


@login_required
@require_safe
def my_data(request):
    body = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="utds-my-data.json"'
    return response
