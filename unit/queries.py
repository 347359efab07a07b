"""Reads of the unit's work for the portal pages (home, about, plan review, new members)
and for the forms of other apps. Each returns a queryset carrying its own joins."""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from cities.models import City, CityCoordinator, UnitRole
from core.mail import recipient_language
from core.models import OutgoingMail

from .models import (
    Document,
    LineOfWork,
    MessageDelivery,
    NetworkMessage,
    NewsItem,
    ReviewNote,
    WorkPlan,
)


def line_choices():
    """Lines of work for the forms of practices, events and funding calls."""
    return LineOfWork.objects.select_related("plan").order_by("-plan__start_year", "number")


def plan_in_force(year: int) -> WorkPlan | None:
    """The plan whose period covers `year`, with its lines and that year's review notes;
    None for a year no plan covers (never another year's plan)."""
    notes = ReviewNote.objects.filter(year=year)
    lines = LineOfWork.objects.order_by("number").prefetch_related(
        Prefetch("review_notes", queryset=notes, to_attr="notes_of_year")
    )
    return (
        WorkPlan.objects.covering(year)
        .select_related("document")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-start_year")
        .first()
    )


plan_for_year = plan_in_force  # the name the review pages used first


def current_plan() -> WorkPlan | None:
    return plan_in_force(timezone.localdate().year)


def plans():
    """Every plan, latest first, for the plan index."""
    return WorkPlan.objects.order_by("-start_year")


def latest_news(limit: int = 3):
    return NewsItem.objects.published().with_card_data()[:limit]


def documents_for_new_members(user):
    """The onboarding material the user may read, newest first."""
    return Document.objects.visible_to(user).filter(for_new_members=True).with_card_data()


def _lines_with_plan():
    """The lines of a document or news item with their plan, for links to its review."""
    return Prefetch("lines", queryset=LineOfWork.objects.select_related("plan"))


def document_detail_queryset():
    """Documents with their lines and each line's plan (one prefetch)."""
    return Document.objects.prefetch_related(_lines_with_plan())


def news_for(user):
    """The news the user may read, newest first, with what a card shows; `is_scheduled`
    tells the secretariat which published items are not out yet."""
    scheduled = ExpressionWrapper(Q(published_at__gt=timezone.now()), output_field=BooleanField())
    return NewsItem.objects.visible_to(user).with_card_data().annotate(is_scheduled=scheduled)


def news_detail_queryset():
    """News items with their city, event, lines and each line's plan."""
    return NewsItem.objects.select_related("city", "event").prefetch_related(_lines_with_plan())


def published_news():
    """The news out today, with their lines of work, for the open API."""
    return NewsItem.objects.visible_to(None).prefetch_related("lines")


def plans_with_lines():
    """Every plan with its lines of work in number order, for the open API."""
    return WorkPlan.objects.prefetch_related(
        Prefetch("lines", queryset=LineOfWork.objects.order_by("number"))
    )


def linked_by_line(model, line_ids, *, filters: dict, related: str, fields, order: str) -> dict:
    """line id → the rows of `model` (practices, funding calls…) linked to that line of work
    through its `lines` field and matching `filters`, ordered by `order`, each loaded with
    `related` and only `fields`. One query whatever the number of lines or rows; a row
    naming two lines appears under both."""
    line_ids = list(line_ids)
    result: dict[int, list] = {pk: [] for pk in line_ids}
    if not line_ids:
        return result
    row = model._meta.model_name
    links = (
        model.lines.through.objects.filter(
            lineofwork_id__in=line_ids, **{f"{row}__{key}": v for key, v in filters.items()}
        )
        .select_related(f"{row}__{related}" if related else row)
        .only("lineofwork", *(f"{row}__{field}" for field in fields))
        .order_by(f"{row}__{order}", f"{row}_id")
    )
    for link in links:
        result[link.lineofwork_id].append(getattr(link, row))
    return result


# --- Messages to the coordinators ------------------------------------------------------------


def message_recipients(message: NetworkMessage):
    """The active coordinators of the member cities the message is addressed to (its
    country, working group and role in the unit today, each when set), one row per person
    however many of those cities they coordinate, by e-mail address. One query."""
    cities = City.objects.members()
    if message.country:
        cities = cities.filter(country=message.country)
    if message.working_group_id:
        cities = cities.filter(working_groups=message.working_group_id)
    current = UnitRole.objects.current()
    if message.role == NetworkMessage.Role.MEMBER:
        cities = cities.exclude(pk__in=current.values("city_id"))
    elif message.role:
        cities = cities.filter(pk__in=current.filter(role=message.role).values("city_id"))
    coordinators = CityCoordinator.objects.filter(city__in=cities).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=coordinators, is_active=True)
        .only("pk", "email", "name", "language")
        .order_by("email")
    )


def message_preview(message: NetworkMessage, *, with_recipients: bool = True) -> dict:
    """What the secretariat checks before sending: the recipients, how many read each
    language, and the subject and text each language's readers get (Spanish when their
    language has no version). One query, none without the recipients (a sent message)."""
    recipients = list(message_recipients(message)) if with_recipients else []
    languages = [recipient_language(user.language) for user in recipients]
    versions = []
    for code, label in (("es", "Español"), ("pt-br", "Português"), ("en", "English")):
        used, subject, body = message.text_in(code)
        versions.append(
            {
                "code": code,
                "label": label,
                "falls_back": used != code,
                "subject": subject,
                "body": body,
                "readers": languages.count(code),
            }
        )
    return {"recipients": recipients, "versions": versions}


def messages_for_secretariat():
    """Every message, newest first, with who wrote and sent it."""
    return NetworkMessage.objects.select_related("created_by", "sent_by", "working_group")


def message_deliveries(message: NetworkMessage):
    """The record of a sent message: one row per recipient, by address, with `sent_at`
    from the mail queue (empty while the e-mail waits, or once the queue forgot it)."""
    sent = OutgoingMail.objects.filter(key=OuterRef("mail_key")).values("sent_at")[:1]
    return (
        MessageDelivery.objects.filter(message=message)
        .annotate(sent_at=Subquery(sent))
        .order_by("email")
    )
