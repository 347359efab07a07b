"""The secretariat's screens: vocabularies, publishing rights, practices with their history
(read and restore), and the workflow actions."""

import pytest

from experiences.models import CityPublishingRight, Practice


@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/experiences/theme/",
        "/en/admin/experiences/crcarticle/",
        "/en/admin/experiences/citypublishingright/",
        "/en/admin/experiences/citypublishingright/add/",
        "/en/admin/experiences/practice/",
        "/en/admin/experiences/practice/?status__exact=draft",
        "/en/admin/experiences/practiceattachment/",
    ],
)
def test_secretariat_opens_the_admin_screens(sofia_client, draft, path):
    assert sofia_client.get(path).status_code == 200


def test_coordinators_are_kept_out_of_the_admin(ana_client, draft):
    response = ana_client.get("/en/admin/experiences/practice/")
    assert response.status_code in (302, 403)


def test_secretariat_reads_and_restores_an_earlier_version(sofia_client, ana_client, draft):
    from tests.experiences.conftest import form_data

    original_summary = draft.summary
    ana_client.post(f"/en/practices/{draft.slug}/edit/", form_data(draft, summary="Versión mala"))
    draft.refresh_from_db()
    assert draft.summary == "Versión mala"
    history_url = f"/en/admin/experiences/practice/{draft.pk}/history/"
    assert sofia_client.get(history_url).status_code == 200
    first = draft.history.earliest("history_date")
    revert_url = f"{history_url}{first.history_id}/"
    page = sofia_client.get(revert_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    for name in ("themes", "goals", "social_problems", "crc_articles", "partner_cities"):
        data[name] = [item.pk for item in form.initial.get(name, [])]
    data.update(
        {
            "city": draft.city_id,
            "author": draft.author_id,
            "start_date": "2015-03-01",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        }
    )
    response = sofia_client.post(revert_url, data)
    assert response.status_code == 302, page.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.summary == original_summary
    assert draft.version == 3  # the revert counts as an edit for optimistic locking
    # The search vector follows the restored text.
    assert Practice.objects.search("mesas").filter(pk=draft.pk).exists()


def test_admin_actions_go_through_the_services(sofia_client, draft, published):
    response = sofia_client.post(
        "/en/admin/experiences/practice/",
        {"action": "feature", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    assert response.status_code == 200
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.featured
    assert not draft.featured  # only published practices may be featured


def test_practices_cannot_be_deleted_in_the_admin(sofia_client, draft):
    response = sofia_client.get(f"/en/admin/experiences/practice/{draft.pk}/delete/")
    assert response.status_code == 403
    assert Practice.objects.filter(pk=draft.pk).exists()


def test_publishing_right_is_edited_in_the_admin(sofia_client, city_a, ana, draft):
    from experiences import permissions

    response = sofia_client.post(
        "/en/admin/experiences/citypublishingright/add/",
        {"city": city_a.pk, "can_self_publish": "on", "note": ""},
    )
    assert response.status_code == 302
    assert CityPublishingRight.objects.get(city=city_a).can_self_publish
    draft = Practice.objects.select_related("city").get(pk=draft.pk)
    assert permissions.can_publish_practice(ana, draft)
