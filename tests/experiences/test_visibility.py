"""Who sees which practice: published for everyone; drafts, reviews and the archive only
for the city's coordinators and the secretariat (404 for everyone else, no leaks)."""

import pytest
from django.test import Client
from django.utils import translation

from experiences import permissions
from experiences.models import Practice


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("visitor", "draft", 404),
        ("bruno", "draft", 404),
        ("ana", "draft", 200),
        ("sofia", "draft", 200),
        ("visitor", "in_review", 404),
        ("bruno", "in_review", 404),
        ("ana", "in_review", 200),
        ("sofia", "in_review", 200),
        ("visitor", "archived", 404),
        ("bruno", "archived", 404),
        ("ana", "archived", 200),
        ("sofia", "archived", 200),
        ("visitor", "published", 200),
        ("bruno", "published", 200),
        ("ana", "published", 200),
        ("sofia", "published", 200),
    ],
)
def test_practice_page_by_status_and_person(request, make_practice, who, status, expected):
    user = None if who == "visitor" else request.getfixturevalue(who)
    practice = make_practice(status=status)
    response = _client(user).get(f"/en/practices/{practice.slug}/")
    assert response.status_code == expected


def test_missing_and_hidden_practices_answer_the_same_404(visitor, draft):
    hidden = visitor.get(f"/en/practices/{draft.slug}/")
    missing = visitor.get("/en/practices/no-such-practice/")
    assert hidden.status_code == missing.status_code == 404
    # Same page, apart from the login link's ?next= that names the path asked for.
    assert hidden.content.decode().replace(draft.slug, "x") == missing.content.decode().replace(
        "no-such-practice", "x"
    )


def test_owner_sees_the_draft_banner_and_public_page_has_none(
    ana_client, visitor, draft, published
):
    html = ana_client.get(f"/en/practices/{draft.slug}/").content.decode()
    assert "status-banner-draft" in html
    assert "This practice is not public" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    public = visitor.get(f"/en/practices/{published.slug}/").content.decode()
    assert "status-banner" not in public
    assert "noindex" not in public


def test_visible_to_returns_the_right_rows_for_each_person(
    make_practice, city_b, ana, bruno, sofia, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    public = make_practice(status="published")
    own_draft = make_practice(status="draft")
    other_draft = make_practice(status="draft", city=city_b)
    archived = make_practice(status="archived")
    visible = {
        "anonymous": set(Practice.objects.visible_to(AnonymousUser())),
        "ana": set(Practice.objects.visible_to(ana)),
        "bruno": set(Practice.objects.visible_to(bruno)),
        "sofia": set(Practice.objects.visible_to(sofia)),
    }
    assert visible["anonymous"] == {public}
    assert visible["ana"] == {public, own_draft, archived}
    assert visible["bruno"] == {public, other_draft}
    assert visible["sofia"] == {public, own_draft, other_draft, archived}


def test_inactive_coordinator_sees_only_published(make_practice, ana):
    make_practice(status="draft")
    public = make_practice(status="published")
    ana.is_active = False
    ana.save()
    assert list(Practice.objects.visible_to(ana)) == [public]


def test_contact_is_shown_to_members_only(visitor, bruno_client, sofia_client, published):
    url = f"/en/practices/{published.slug}/"
    assert "laura@quilmes.example" not in visitor.get(url).content.decode()
    assert "laura@quilmes.example" in bruno_client.get(url).content.decode()
    assert "laura@quilmes.example" in sofia_client.get(url).content.decode()


def test_permission_functions_for_the_cast(draft, ana, bruno, sofia, city_a, city_b):
    assert permissions.can_edit_practice(ana, draft)
    assert not permissions.can_edit_practice(bruno, draft)
    assert permissions.can_edit_practice(sofia, draft)
    assert permissions.can_submit_practice(ana, draft)
    assert not permissions.can_publish_practice(ana, draft)  # Quilmes needs review
    assert permissions.can_publish_practice(sofia, draft)
    assert not permissions.can_review_practice(sofia, draft)  # not in review yet
    assert permissions.can_create_practice_for(ana, city_a)
    assert not permissions.can_create_practice_for(ana, city_b)
    assert permissions.can_create_practice_for(sofia, city_b)
    assert list(permissions.creatable_cities(ana)) == [city_a]


def test_archived_practice_is_closed_to_its_coordinator_but_not_to_the_secretariat(
    make_practice, ana, sofia
):
    archived = make_practice(status="archived")
    assert not permissions.can_edit_practice(ana, archived)
    assert permissions.can_edit_practice(sofia, archived)
    assert permissions.can_restore_practice(sofia, archived)
    assert not permissions.can_restore_practice(ana, archived)


def test_self_publishing_city_publishes_its_drafts(draft, ana, bruno, self_publishing_city_a):
    assert permissions.can_publish_practice(ana, draft)
    assert not permissions.can_publish_practice(bruno, draft)


def test_status_names_are_translatable():
    with translation.override("en"):
        assert Practice.Status.IN_REVIEW.label == "in review"
