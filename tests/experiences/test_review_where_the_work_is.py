"""Review where the work is: the secretariat's comments at the top of the edit page and on
the dashboard, publish and send-back on the edit page, and changes to a published
practice kept as a pending revision until the secretariat approves them."""

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from experiences import services
from experiences.models import Practice, PracticeRevision
from tests.experiences.conftest import form_data


@pytest.fixture
def in_review(draft):
    draft.status = Practice.Status.IN_REVIEW
    draft.save()
    return draft


@pytest.fixture
def sent_back(in_review, sofia):
    return services.practice_request_changes(
        practice=in_review, user=sofia, comment="Agregue las cifras de cobertura."
    )


# --- the secretariat's comments ----------------------------------------------------------


def test_the_comment_is_at_the_top_of_the_edit_page_with_its_date(ana_client, sent_back):
    html = ana_client.get(f"/en/practices/{sent_back.slug}/edit/").content.decode()
    with translation.override("en"):
        date = date_format(timezone.localtime(sent_back.review_comment_at), "DATE_FORMAT")
    assert "Status: sent back with comments" in html
    assert "Sent back with comments" in html
    assert date in html
    assert html.index("Agregue las cifras de cobertura.") < html.index("practice-form")


def test_the_comment_is_on_the_coordinators_dashboard(ana_client, sent_back):
    html = ana_client.get("/en/dashboard/").content.decode()
    assert f'href="/en/practices/{sent_back.slug}/edit/"' in html
    assert "sent back with comments" in html
    assert "Agregue las cifras de cobertura." in html


def test_the_sent_back_mail_links_to_the_edit_page(
    sofia_client, in_review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sofia_client.post(
            f"/en/practices/{in_review.slug}/request-changes/", {"comment": "Faltan datos."}
        )
    (message,) = mailoutbox
    assert f"/practices/{in_review.slug}/edit/" in message.body


def test_submitting_again_and_publishing_clear_the_comment(ana, sofia, sent_back):
    services.practice_submit(practice=sent_back, user=ana)
    assert not sent_back.is_sent_back
    services.practice_publish(practice=sent_back, user=sofia)
    sent_back.refresh_from_db()
    assert sent_back.review_comment == "" and sent_back.review_comment_at is None


# --- the secretariat reviews on the edit page ----------------------------------------------


def test_the_review_queue_links_to_a_page_with_publish_and_send_back(sofia_client, in_review):
    dashboard = sofia_client.get("/en/dashboard/").content.decode()
    edit_url = f"/en/practices/{in_review.slug}/edit/"
    assert f'href="{edit_url}"' in dashboard
    html = sofia_client.get(edit_url).content.decode()
    assert f'action="/en/practices/{in_review.slug}/publish/"' in html
    assert f'action="/en/practices/{in_review.slug}/request-changes/"' in html
    assert "Comments for the city" in html


def test_the_coordinator_sees_no_review_actions_on_her_edit_page(ana_client, in_review):
    html = ana_client.get(f"/en/practices/{in_review.slug}/edit/").content.decode()
    assert "/request-changes/" not in html
    assert f'action="/en/practices/{in_review.slug}/publish/"' not in html


# --- changes to a published practice wait for approval -----------------------------------


def edit_published(client, practice, **overrides):
    data = form_data(practice, action="save", **overrides)
    return client.post(f"/en/practices/{practice.slug}/edit/", data)


def test_a_coordinators_change_waits_and_the_public_keeps_the_published_text(
    ana_client, visitor, published
):
    response = edit_published(ana_client, published, title="Mesas barriales (2025)")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Mesas barriales de niñez"
    assert published.status == Practice.Status.PUBLISHED
    revision = published.pending_revision()
    assert revision.data["title"] == "Mesas barriales (2025)"
    public = visitor.get(f"/en/practices/{published.slug}/").content.decode()
    assert "Mesas barriales de niñez" in public
    assert "2025" not in public
    # she goes on with her changes, told that they wait
    html = ana_client.get(f"/en/practices/{published.slug}/edit/").content.decode()
    assert 'value="Mesas barriales (2025)"' in html
    assert "Your changes are waiting for approval" in html
    assert "Save changes for approval" in html


def test_a_second_save_replaces_the_pending_changes(ana_client, published):
    edit_published(ana_client, published, title="Primera versión")
    published.refresh_from_db()
    edit_published(ana_client, published, title="Segunda versión")
    statuses = list(published.revisions.order_by("pk").values_list("status", flat=True))
    assert statuses == [PracticeRevision.Status.REPLACED, PracticeRevision.Status.PENDING]
    assert published.pending_revision().data["title"] == "Segunda versión"


def test_the_secretariat_approves_and_the_history_keeps_both(
    ana_client, sofia_client, visitor, published
):
    edit_published(ana_client, published, title="Mesas barriales (2025)")
    queue = sofia_client.get("/en/dashboard/").content.decode()
    assert f'href="/en/practices/{published.slug}/edit/"' in queue
    page = sofia_client.get(f"/en/practices/{published.slug}/edit/")
    changes = {change.name: change for change in page.context["revision_changes"]}
    assert changes["title"].before == "Mesas barriales de niñez"
    assert changes["title"].after == "Mesas barriales (2025)"
    assert "Approve the changes" in page.content.decode()

    response = sofia_client.post(f"/en/practices/{published.slug}/changes/approve/")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Mesas barriales (2025)"
    assert published.status == Practice.Status.PUBLISHED
    assert (
        "Mesas barriales (2025)" in visitor.get(f"/en/practices/{published.slug}/").content.decode()
    )
    revision = published.revisions.get()
    assert revision.status == PracticeRevision.Status.APPROVED
    assert revision.decided_by.email == "sofia@utds.example"
    titles = list(published.history.order_by("history_id").values_list("title", flat=True))
    assert titles[0] == "Mesas barriales de niñez"
    assert titles[-1] == "Mesas barriales (2025)"


def test_the_secretariat_refuses_with_a_reason_the_city_reads(ana_client, sofia_client, published):
    edit_published(ana_client, published, title="Título dudoso")
    url = f"/en/practices/{published.slug}/changes/reject/"
    sofia_client.post(url, {"comment": " "})
    assert published.pending_revision() is not None  # no reason, no decision
    sofia_client.post(url, {"comment": "El título debe nombrar la ciudad."})
    published.refresh_from_db()
    assert published.title == "Mesas barriales de niñez"
    assert published.revisions.get().status == PracticeRevision.Status.REJECTED
    html = ana_client.get(f"/en/practices/{published.slug}/edit/").content.decode()
    assert "Your last changes were not approved" in html
    assert "El título debe nombrar la ciudad." in html


def test_a_coordinator_cannot_approve_her_own_changes(ana_client, published):
    edit_published(ana_client, published, title="Aprobado por mí")
    assert ana_client.post(f"/en/practices/{published.slug}/changes/approve/").status_code == 403
    published.refresh_from_db()
    assert published.title == "Mesas barriales de niñez"


def test_a_city_that_publishes_directly_changes_the_public_text(
    ana_client, published, self_publishing_city_a
):
    edit_published(ana_client, published, title="Cambio directo")
    published.refresh_from_db()
    assert published.title == "Cambio directo"
    assert not published.revisions.exists()


def test_the_secretariat_changes_the_public_text_directly(sofia_client, published):
    edit_published(sofia_client, published, title="Corrección de la secretaría")
    published.refresh_from_db()
    assert published.title == "Corrección de la secretaría"
    assert not published.revisions.exists()


def test_a_stale_save_of_pending_changes_is_refused_with_the_difference(ana_client, published):
    opened = form_data(published, action="save", title="Versión vieja")
    edit_published(ana_client, published, title="Versión nueva")
    response = ana_client.post(f"/en/practices/{published.slug}/edit/", opened)
    assert response.status_code == 409
    changes = {change.name: change for change in response.context["conflict_changes"]}
    assert changes["title"].after == "Versión nueva"
    assert published.pending_revision().data["title"] == "Versión nueva"
