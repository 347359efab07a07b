"""The peers app's writes: the comparability table, transfers and questions to cities."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cities.models import City, CityCoordinator, FocalPoint
from core.mail import absolute_url, recipient_language, render_email, send_after_commit
from mapping.models import CityProblem, IndicatorValue

from . import permissions
from .comparability import CityFacts, Comparison, compare
from .models import CityComparability, Question, Transfer

# A full refresh also runs when the last one is older than this, so that deletions (which
# leave no updated_at behind) reach the table within a day.
REFRESH_AT_LEAST_EVERY = datetime.timedelta(days=1)


# --- comparability ---------------------------------------------------------------------


def _latest_problems() -> dict[int, set[int]]:
    latest = (
        CityProblem.objects.filter(city=models.OuterRef("city"))
        .order_by("-year")
        .values("year")[:1]
    )
    rows = CityProblem.objects.filter(year=models.Subquery(latest)).values_list(
        "city_id", "problem_id"
    )
    problems: dict[int, set[int]] = {}
    for city_id, problem_id in rows:
        problems.setdefault(city_id, set()).add(problem_id)
    return problems


def _latest_indicator_totals() -> dict[int, dict]:
    rows = (
        IndicatorValue.objects.totals()
        .order_by("city_id", "indicator_id", "-year")
        .distinct("city_id", "indicator_id")
        .values_list("city_id", "indicator_id", "value")
    )
    values: dict[int, dict] = {}
    for city_id, indicator_id, value in rows:
        values.setdefault(city_id, {})[indicator_id] = value
    return values


def _city_facts() -> list[CityFacts]:
    problems, indicators = _latest_problems(), _latest_indicator_totals()
    cities = City.objects.members().values_list(
        "pk", "population", "country", "state_code", "state_province"
    )
    return [
        CityFacts(
            pk=pk,
            population=population,
            country=str(country),
            region=state_code or state_province,
            problems=frozenset(problems.get(pk, ())),
            indicators=indicators.get(pk, {}),
        )
        for pk, population, country, state_code, state_province in cities
    ]


@transaction.atomic
def comparability_refresh() -> int:
    """Compute the comparability of every ordered pair of member cities and store it
    (rows of cities no longer members are removed); returns the number of rows written.
    Reads four queries' worth of profiles and writes in batches."""
    facts = _city_facts()
    now = timezone.now()
    rows = []
    for city in facts:
        for other in facts:
            if city.pk == other.pk:
                continue
            result = compare(city, other)
            rows.append(
                CityComparability(
                    city_id=city.pk, other_id=other.pk, refreshed_at=now, **vars(result)
                )
            )
    CityComparability.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["city", "other"],
        update_fields=[*(item.name for item in dataclasses.fields(Comparison)), "refreshed_at"],
    )
    CityComparability.objects.filter(refreshed_at__lt=now).delete()
    return len(rows)


def comparability_is_stale() -> bool:
    """True when a profile (city, problem or indicator value) changed after the last
    refresh, or the last refresh is older than a day (or never ran)."""
    last = CityComparability.objects.aggregate(last=models.Max("refreshed_at"))["last"]
    if last is None or timezone.now() - last > REFRESH_AT_LEAST_EVERY:
        return True
    return (
        City.objects.filter(updated_at__gt=last).exists()
        or CityProblem.objects.filter(updated_at__gt=last).exists()
        or IndicatorValue.objects.filter(updated_at__gt=last).exists()
    )


# --- transfers -------------------------------------------------------------------------

TRANSFER_FIELDS = ("kind", "started_on", "changes", "results", "contact_name", "contact_email")


@transaction.atomic
def transfer_save(*, user, practice, city, data: dict, publish: bool, transfer=None) -> Transfer:
    """Create (transfer=None) or change the record that `city` took `practice`, as a draft
    or published; permission-checked. A second record of the same practice for the same
    city is refused with a ValidationError, as is a city taking its own practice."""
    if transfer is None:
        if not permissions.transfer_cities(user, practice).filter(pk=city.pk).exists():
            raise PermissionDenied
        transfer = Transfer(practice=practice, city=city, recorded_by=user)
    elif not permissions.can_edit_transfer(user, transfer):
        raise PermissionDenied
    for name in TRANSFER_FIELDS:
        setattr(transfer, name, data[name])
    if publish:
        transfer.status = Transfer.Status.PUBLISHED
        transfer.published_at = transfer.published_at or timezone.now()
    else:
        transfer.status = Transfer.Status.DRAFT
    transfer.full_clean(exclude=["practice", "city", "recorded_by"])
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This city has already recorded this practice; change that record instead."),
            code="duplicate",
        ) from error
    return transfer


# --- questions -------------------------------------------------------------------------


class QuestionLimitReached(Exception):
    """The asker sent as many questions as a day allows."""


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def _city_recipients(city_ids) -> list[Recipient]:
    """Focal points and active coordinators of these cities, each address once (the
    coordinator's language when the address is both)."""
    found: dict[str, Recipient] = {}
    for email in (
        FocalPoint.objects.filter(city_id__in=city_ids)
        .exclude(email="")
        .values_list("email", flat=True)
    ):
        found.setdefault(email.lower(), Recipient(email, settings.LANGUAGE_CODE))
    coordinators = CityCoordinator.objects.filter(
        city_id__in=city_ids, user__is_active=True
    ).values_list("user__email", "user__language")
    for email, language in coordinators:
        found[email.lower()] = Recipient(email, language)
    return sorted(found.values(), key=lambda r: r.email.lower())


def questions_left_today(user) -> int:
    """How many questions the user may still send in the last 24 hours' window."""
    since = timezone.now() - datetime.timedelta(days=1)
    sent = Question.objects.filter(asked_by=user, asked_at__gte=since).count()
    return max(settings.PEERS_QUESTIONS_PER_DAY - sent, 0)


def _ask(
    *, user, message: str, recipients, template: str, context: dict, link, **record
) -> Question:
    """Record the question and queue one e-mail per recipient, in the recipient's language;
    `link()` gives the path of the page the e-mail links to, built in that language."""
    if questions_left_today(user) <= 0:
        raise QuestionLimitReached
    if not recipients:
        raise ValidationError(
            _("This city has no contact to write to yet; please write to the secretariat."),
            code="no_recipients",
        )
    question = Question.objects.create(
        asked_by=user, message=message, recipient_count=len(recipients), **record
    )
    context = {**context, "asker": user, "message": message}
    mails = []
    for recipient in recipients:
        with translation.override(recipient_language(recipient.language)):
            url = absolute_url(link())
        mail = render_email(
            template, {**context, "url": url}, to=recipient.email, language=recipient.language
        )
        mail.reply_to = [user.email]
        mails.append(mail)
    send_after_commit(mails)
    return question


@transaction.atomic
def question_ask_city(*, user, practice, message: str) -> Question:
    """E-mail a question about `practice` to its city's focal points and coordinators, with
    Reply-To the asker, and record it. Raises PermissionDenied when the user may not ask,
    QuestionLimitReached past PEERS_QUESTIONS_PER_DAY in a day."""
    if not permissions.can_ask_city(user, practice):
        raise PermissionDenied
    recipients = _city_recipients([practice.city_id])
    context = {
        "practice": practice,
        "city": practice.city,
    }
    return _ask(
        user=user,
        message=message,
        recipients=recipients,
        template="peers/email/question",
        context=context,
        link=practice.get_absolute_url,
        practice=practice,
    )


@transaction.atomic
def question_ask_interested(*, user, call, from_city, message: str) -> Question:
    """E-mail the other cities interested in a funding call (focal points and coordinators)
    from `from_city`, one of the interested cities the user coordinates, to prepare a joint
    bid; Reply-To the asker; recorded like a question to a city."""
    interested = set(call.interests.values_list("city_id", flat=True))
    if from_city.pk not in interested or not permissions.can_ask_interested_cities(
        user, [from_city.pk]
    ):
        raise PermissionDenied
    recipients = _city_recipients(interested - {from_city.pk})
    context = {
        "call": call,
        "city": from_city,
    }
    return _ask(
        user=user,
        message=message,
        recipients=recipients,
        template="peers/email/joint_bid",
        context=context,
        link=lambda: reverse("funding:detail", kwargs={"slug": call.slug}),
        call=call,
        from_city=from_city,
    )
