"""Follows and digests: visitors follow themes, problems, countries or cities with a
confirmed address (double opt-in), members with their account's; a periodic task sends
each subscriber what is new, in their language, and nothing when nothing is new."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries

from cities.models import City
from core.mail import absolute_url, recipient_language, render_email, send_after_commit
from events.models import Event
from experiences.models import Practice, Theme
from funding.models import FundingCall
from mapping.models import SocialProblem
from unit.models import NewsItem

from .models import Follow, Subscriber, Transfer

UNCONFIRMED_KEPT = datetime.timedelta(days=7)
PERIODS = {
    Subscriber.Frequency.WEEKLY: datetime.timedelta(days=7),
    Subscriber.Frequency.MONTHLY: datetime.timedelta(days=30),
}
ITEMS_PER_KIND = 20
VOCABULARIES = {
    Follow.Kind.THEME: Theme,
    Follow.Kind.PROBLEM: SocialProblem,
    Follow.Kind.CITY: City,
}


def topic_of(kind: str, key: str):
    """The followed row (or the country's name) for a kind and key; None when unknown."""
    if kind == Follow.Kind.COUNTRY:
        return countries.name(key.upper()) or None
    model = VOCABULARIES.get(kind)
    return model.objects.filter(slug=key).first() if model else None


def _links(subscriber) -> dict:
    unsubscribe = absolute_url(reverse("peers:unsubscribe", kwargs={"token": subscriber.token}))
    confirm = absolute_url(reverse("peers:confirm", kwargs={"token": subscriber.token}))
    return {"unsubscribe_url": unsubscribe, "confirm_url": confirm}


@transaction.atomic
def follow_request(
    *, email: str, kind: str, key: str, language: str, frequency: str, user=None
) -> Follow:
    """Follow `kind`/`key` with this address. A signed-in member following with their own
    address is confirmed at once; anyone else gets a confirmation e-mail, and the follow
    counts only once the link in it is used (double opt-in)."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email__iexact=email, defaults={"email": email, "language": language, "frequency": frequency}
    )
    follow, _created = Follow.objects.get_or_create(subscriber=subscriber, kind=kind, key=key)
    member = user is not None and user.is_authenticated and user.email.lower() == email.lower()
    if member:
        now = timezone.now()
        Subscriber.objects.filter(pk=subscriber.pk).update(
            user=user, frequency=frequency, confirmed_at=Coalesce("confirmed_at", now)
        )
        Follow.objects.filter(pk=follow.pk).update(confirmed_at=now)
    elif follow.confirmed_at is None:
        with translation.override(recipient_language(subscriber.language)):
            context = {"topic": topic_of(kind, key), **_links(subscriber)}
        message = render_email(
            "peers/email/confirm", context, to=subscriber.email, language=subscriber.language
        )
        send_after_commit([message])
    return follow


@transaction.atomic
def subscription_confirm(*, subscriber) -> int:
    """Confirm the address and every follow waiting for it; returns how many."""
    now = timezone.now()
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber.follows.filter(confirmed_at__isnull=True).update(confirmed_at=now)


def subscription_delete(*, subscriber) -> None:
    """Unsubscribe: the address and everything it follows are deleted."""
    subscriber.delete()


def unconfirmed_delete(now=None) -> int:
    """Delete addresses never confirmed and follows never confirmed after a week."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT
    deleted, _per_model = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    pending, _per_model = Follow.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted + pending


def _keys(subscriber) -> dict[str, list[str]]:
    keys = {kind: [] for kind in Follow.Kind.values}
    for kind, key in subscriber.follows.filter(confirmed_at__isnull=False).values_list(
        "kind", "key"
    ):
        keys[kind].append(key)
    return keys


def _practice_filter(keys, prefix="") -> Q:
    return (
        Q(**{f"{prefix}themes__slug__in": keys["theme"]})
        | Q(**{f"{prefix}social_problems__slug__in": keys["problem"]})
        | Q(**{f"{prefix}city__country__in": keys["country"]})
        | Q(**{f"{prefix}city__slug__in": keys["city"]})
    )


def digest_items(subscriber, since) -> dict:
    """What is new since `since` in what the subscriber follows, by kind (at most
    ITEMS_PER_KIND of each): practices, transfers, events, funding calls, news."""
    keys = _keys(subscriber)
    practices = Practice.objects.published().filter(published_at__gt=since)
    transfers = Transfer.objects.published().filter(published_at__gt=since)
    countries_q = Q(pk__in=[])
    for code in keys["country"]:
        countries_q |= Q(eligible_countries="") | Q(eligible_countries__contains=code)
    places = Q(host_city__slug__in=keys["city"]) | Q(host_city__country__in=keys["country"])
    news_places = Q(city__slug__in=keys["city"]) | Q(city__country__in=keys["country"])
    found = {
        "practices": practices.filter(
            pk__in=Practice.objects.filter(_practice_filter(keys)).values("pk")
        ).select_related("city"),
        "transfers": transfers.filter(
            Q(practice__in=Practice.objects.filter(_practice_filter(keys)).values("pk"))
            | Q(city__slug__in=keys["city"])
            | Q(city__country__in=keys["country"])
        ).select_related("city", "practice"),
        "events": Event.objects.filter(created_at__gt=since).filter(places),
        "calls": FundingCall.objects.filter(created_at__gt=since).filter(
            Q(pk__in=FundingCall.objects.filter(themes__slug__in=keys["theme"]).values("pk"))
            | countries_q
        ),
        "news": NewsItem.objects.published().filter(published_at__gt=since).filter(news_places),
    }
    return {name: list(rows.order_by("-pk")[:ITEMS_PER_KIND]) for name, rows in found.items()}


def _due(subscriber, now) -> bool:
    last = subscriber.last_sent_at or subscriber.confirmed_at
    return now - last >= PERIODS[subscriber.frequency]


def digests_send(now=None) -> int:
    """Send each confirmed subscriber whose period has passed a digest of what is new since
    their last one (or their confirmation); nothing to someone with nothing new (they stay
    due, so the next run looks again). Returns the number of digests queued."""
    now = now or timezone.now()
    sent = 0
    for subscriber in Subscriber.objects.filter(confirmed_at__isnull=False).iterator():
        if not _due(subscriber, now):
            continue
        since = subscriber.last_sent_at or subscriber.confirmed_at
        with translation.override(recipient_language(subscriber.language)):
            items = digest_items(subscriber, since)
            if not any(items.values()):
                continue
            context = {
                "items": items,
                "since": since,
                "portal_url": settings.PORTAL_URL,
                **_links(subscriber),
            }
            message = render_email(
                "peers/email/digest", context, to=subscriber.email, language=subscriber.language
            )
        message.extra_headers.update(
            {
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        )
        with transaction.atomic():
            send_after_commit([message], once_per=f"peers-digest:{subscriber.pk}:{since}")
            Subscriber.objects.filter(pk=subscriber.pk).update(last_sent_at=now)
        sent += 1
    return sent


def subscriber_of(user):
    """The member's subscription (by her account or her account's address) with its
    follows, or None; one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .prefetch_related("follows")
        .order_by("-user")
        .first()
    )
