"""Draft → in review → published (or back to draft with comments); archive, unpublish,
restore, feature. E-mails go out after commit, each in its recipient's language."""

import pytest

from experiences.models import Practice
from tests.factories import SecretariatFactory


@pytest.fixture
def in_review(draft):
    draft.status = Practice.Status.IN_REVIEW
    draft.save()
    return draft


def test_owner_submits_a_draft_and_the_secretariat_is_told(
    ana_client, draft, sofia, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(f"/en/practices/{draft.slug}/submit/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Practice.Status.IN_REVIEW
    assert [m.to for m in mailoutbox] == [[sofia.email]]
    assert draft.title in mailoutbox[0].subject
    assert f"/practices/{draft.slug}/" in mailoutbox[0].body


def test_incomplete_draft_cannot_be_submitted(ana_client, draft):
    draft.results = ""
    draft.save()
    response = ana_client.post(f"/en/practices/{draft.slug}/submit/", follow=True)
    draft.refresh_from_db()
    assert draft.status == Practice.Status.DRAFT
    assert "Complete these sections first" in response.content.decode()


def test_outsider_cannot_submit_publish_or_review(bruno_client, draft, in_review):
    assert bruno_client.post(f"/en/practices/{draft.slug}/submit/").status_code == 404
    assert bruno_client.post(f"/en/practices/{draft.slug}/publish/").status_code == 404
    assert (
        bruno_client.post(
            f"/en/practices/{draft.slug}/request-changes/", {"comment": "no"}
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == Practice.Status.IN_REVIEW


def test_coordinator_cannot_publish_their_own_practice_in_review(ana_client, in_review):
    assert ana_client.post(f"/en/practices/{in_review.slug}/publish/").status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Practice.Status.IN_REVIEW


def test_secretariat_sees_the_review_form_and_publishes(
    sofia_client, sofia, ana, in_review, mailoutbox, django_capture_on_commit_callbacks
):
    html = sofia_client.get(f"/en/practices/{in_review.slug}/").content.decode()
    assert "Send back with comments" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = sofia_client.post(f"/en/practices/{in_review.slug}/publish/")
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Practice.Status.PUBLISHED
    assert in_review.published_at is not None
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([sofia.email, ana.email])  # the secretariat, and the author


def test_publication_mail_reaches_every_secretariat_member_in_their_language(
    sofia_client, in_review, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://utds.example"
    colleague = SecretariatFactory(email="joao@utds.example", name="João", language="pt-br")
    with django_capture_on_commit_callbacks(execute=True):
        sofia_client.post(f"/en/practices/{in_review.slug}/publish/")
    by_address = {m.to[0]: m for m in mailoutbox}
    # Links follow the language of each recipient: /pt-br/… for João, /… for Spanish.
    assert f"/pt-br/practices/{in_review.slug}/" in by_address[colleague.email].body
    # Links are on the portal's address, not the Host of the request that published.
    spanish = f"https://utds.example/practices/{in_review.slug}/"
    assert spanish in by_address["sofia@utds.example"].body


def test_sending_back_keeps_the_comment_and_mails_the_author_in_their_language(
    sofia_client, in_review, ana, mailoutbox, django_capture_on_commit_callbacks
):
    ana.language = "en"
    ana.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = sofia_client.post(
            f"/en/practices/{in_review.slug}/request-changes/",
            {"comment": "Faltan datos de cobertura."},
        )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Practice.Status.DRAFT
    assert in_review.review_comment == "Faltan datos de cobertura."
    (message,) = mailoutbox
    assert message.to == [ana.email]
    assert message.subject.startswith("[UTDS Mercociudades] Changes requested for your practice")
    assert "Faltan datos de cobertura." in message.body
    assert f"/en/practices/{in_review.slug}/edit/" in message.body


def test_sending_back_without_a_comment_is_refused(sofia_client, in_review, mailoutbox):
    response = sofia_client.post(
        f"/en/practices/{in_review.slug}/request-changes/", {"comment": " "}
    )
    assert response.status_code == 400
    assert "comment" in response.context["review_form"].errors
    in_review.refresh_from_db()
    assert in_review.status == Practice.Status.IN_REVIEW
    assert mailoutbox == []


def test_the_owner_sees_the_comment_on_the_practice_page(ana_client, draft):
    draft.review_comment = "Agregue resultados medidos."
    draft.save()
    html = ana_client.get(f"/en/practices/{draft.slug}/").content.decode()
    assert "Agregue resultados medidos." in html


def test_self_publishing_coordinator_publishes_a_draft(ana_client, draft, self_publishing_city_a):
    assert ana_client.post(f"/en/practices/{draft.slug}/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Practice.Status.PUBLISHED


def test_owner_archives_and_nothing_is_deleted(ana_client, published, visitor):
    assert ana_client.get(f"/en/practices/{published.slug}/archive/").status_code == 200
    response = ana_client.post(f"/en/practices/{published.slug}/archive/")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Practice.Status.ARCHIVED
    assert visitor.get(f"/en/practices/{published.slug}/").status_code == 404
    assert Practice.objects.filter(pk=published.pk).exists()
    # The coordinator can no longer edit it; the secretariat can restore it.
    assert ana_client.get(f"/en/practices/{published.slug}/edit/").status_code == 403


def test_outsider_cannot_archive(bruno_client, published):
    assert bruno_client.post(f"/en/practices/{published.slug}/archive/").status_code == 403
    published.refresh_from_db()
    assert published.status == Practice.Status.PUBLISHED


def test_secretariat_unpublishes_features_and_restores(sofia_client, ana_client, published):
    url = f"/en/practices/{published.slug}"
    assert ana_client.post(f"{url}/feature/", {"featured": "1"}).status_code == 403
    sofia_client.post(f"{url}/feature/", {"featured": "1"})
    published.refresh_from_db()
    assert published.featured
    sofia_client.post(f"{url}/unpublish/")
    published.refresh_from_db()
    assert published.status == Practice.Status.DRAFT and not published.featured
    sofia_client.post(f"{url}/archive/")
    sofia_client.post(f"{url}/restore/")
    published.refresh_from_db()
    assert published.status == Practice.Status.DRAFT


def test_coordinator_cannot_unpublish(ana_client, published):
    assert ana_client.post(f"/en/practices/{published.slug}/unpublish/").status_code == 403


def test_every_change_is_kept_in_the_history_with_its_themes(ana_client, sofia_client, draft):
    ana_client.post(f"/en/practices/{draft.slug}/submit/")
    sofia_client.post(f"/en/practices/{draft.slug}/publish/")
    history = list(draft.history.order_by("history_date"))
    assert [h.status for h in history] == ["draft", "in_review", "published"]
    assert [h.version for h in history] == [1, 2, 3]
    assert [t.theme.slug for t in history[-1].themes.all()] == ["children-adolescents"]


def test_workflow_urls_refuse_get(ana_client, draft):
    assert ana_client.get(f"/en/practices/{draft.slug}/submit/").status_code == 405
