"""Writing practices: only for one's own cities, drafts first, optimistic locking."""

import pytest
from django.utils import translation

from experiences import services
from experiences.models import Practice
from tests.experiences.conftest import form_data


def test_anonymous_visitor_is_sent_to_log_in(visitor, db):
    response = visitor.get("/en/practices/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_user_without_cities_may_not_write(client, django_user_model, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/en/practices/new/").status_code == 403


def test_coordinator_form_offers_only_their_cities(ana_client, city_a, city_b, themes):
    response = ana_client.get("/en/practices/new/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["city"].queryset) == [city_a]
    html = response.content.decode()
    assert "<legend>Themes</legend>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="publish"' not in html  # Quilmes publishes after review


def test_secretariat_may_choose_any_city(sofia_client, city_a, city_b):
    response = sofia_client.get("/en/practices/new/")
    assert set(response.context["form"].fields["city"].queryset) == {city_a, city_b}


def test_coordinator_saves_a_draft_for_their_city(ana_client, ana, city_a, themes):
    data = form_data(city=city_a.pk, themes=[themes["gender"].pk], action="save")
    response = ana_client.post("/en/practices/new/", data)
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/practices/{practice.slug}/"
    assert practice.slug == "huertas-comunitarias"
    assert practice.status == Practice.Status.DRAFT
    assert practice.author == ana
    assert practice.version == 1
    assert list(practice.themes.all()) == [themes["gender"]]
    assert practice.history.count() == 1
    assert practice.history.first().history_type == "+"
    # The search vector is kept current by the service.
    assert Practice.objects.search("huertas").get() == practice


def test_tampering_with_the_city_is_a_field_error_and_saves_nothing(ana_client, city_b, themes):
    response = ana_client.post("/en/practices/new/", form_data(city=city_b.pk, action="save"))
    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_service_refuses_a_city_the_user_does_not_coordinate(ana, city_b):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.practice_create(user=ana, data={"title": "x", "city": city_b})
    assert not Practice.objects.exists()


def test_missing_fields_are_shown_and_nothing_is_saved(ana_client, city_a):
    data = form_data(city=city_a.pk, title="", summary="", start_date="not a date")
    with translation.override("en"):
        response = ana_client.post("/en/practices/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "summary", "start_date"}
    assert "Please correct these fields:" in response.content.decode()
    assert not Practice.objects.exists()


def test_end_before_start_is_refused(ana_client, city_a):
    data = form_data(city=city_a.pk, start_date="2020-01-01", end_date="2019-01-01")
    response = ana_client.post("/en/practices/new/", data)
    assert "end_date" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_budget_needs_a_currency_and_cannot_be_negative(ana_client, city_a):
    response = ana_client.post("/en/practices/new/", form_data(city=city_a.pk, budget="100"))
    assert "currency" in response.context["form"].errors
    response = ana_client.post(
        "/en/practices/new/", form_data(city=city_a.pk, budget="-1", currency="ARS")
    )
    assert response.context["form"].errors
    assert not Practice.objects.exists()


def test_own_city_cannot_be_its_own_partner(ana_client, city_a):
    data = form_data(city=city_a.pk, partner_cities=[city_a.pk])
    response = ana_client.post("/en/practices/new/", data)
    assert "partner_cities" in response.context["form"].errors


def test_submitting_needs_the_template_sections_and_a_theme(ana_client, city_a):
    data = form_data(city=city_a.pk, results="", action="submit")
    response = ana_client.post("/en/practices/new/", data)
    errors = response.context["form"].errors
    assert "results" in errors and "themes" in errors
    assert not Practice.objects.exists()


def test_coordinator_cannot_publish_directly_without_the_right(ana_client, city_a, themes):
    data = form_data(city=city_a.pk, themes=[themes["gender"].pk], action="publish")
    response = ana_client.post("/en/practices/new/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Practice.objects.exists()


def test_self_publishing_city_publishes_from_the_form(
    ana_client, city_a, themes, self_publishing_city_a
):
    assert 'value="publish"' in ana_client.get("/en/practices/new/").content.decode()
    data = form_data(city=city_a.pk, themes=[themes["gender"].pk], action="publish")
    response = ana_client.post("/en/practices/new/", data)
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert practice.status == Practice.Status.PUBLISHED
    assert practice.published_at is not None


def test_slugs_stay_unique_and_avoid_the_reserved_words(ana_client, city_a, make_practice):
    make_practice(title="Huertas comunitarias", slug="huertas-comunitarias")
    ana_client.post("/en/practices/new/", form_data(city=city_a.pk))
    ana_client.post("/en/practices/new/", form_data(city=city_a.pk, title="New"))
    ana_client.post("/en/practices/new/", form_data(city=city_a.pk, title="¡¡¡!!!"))
    slugs = set(Practice.objects.values_list("slug", flat=True))
    assert {"huertas-comunitarias", "huertas-comunitarias-2", "new-2", "practice"} <= slugs


# --- editing -----------------------------------------------------------------------------


def test_owner_edits_and_the_version_goes_up(ana_client, draft):
    response = ana_client.get(f"/en/practices/{draft.slug}/edit/")
    assert response.status_code == 200
    assert f'name="version" value="{draft.version}"' in response.content.decode()
    data = form_data(draft, summary="Resumen nuevo.")
    response = ana_client.post(f"/en/practices/{draft.slug}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Resumen nuevo."
    assert draft.version == 2
    assert draft.slug == "practica-1-quilmes-ar"  # stable URL
    assert draft.history.count() == 2


def test_outsider_gets_404_for_a_draft_and_403_for_a_published_practice(
    bruno_client, draft, published
):
    assert bruno_client.get(f"/en/practices/{draft.slug}/edit/").status_code == 404
    assert bruno_client.get(f"/en/practices/{published.slug}/edit/").status_code == 403
    response = bruno_client.post(
        f"/en/practices/{published.slug}/edit/", form_data(published, summary="Hackeado")
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.summary != "Hackeado"


def test_secretariat_edits_any_practice(sofia_client, sofia, draft):
    response = sofia_client.post(
        f"/en/practices/{draft.slug}/edit/", form_data(draft, title="Título corregido")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Título corregido"
    assert draft.history.first().history_user == sofia


def test_coordinator_cannot_move_a_practice_to_another_city(ana_client, draft, city_b):
    response = ana_client.post(
        f"/en/practices/{draft.slug}/edit/", form_data(draft, city=city_b.pk)
    )
    assert "city" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.city_id != city_b.pk


def test_second_concurrent_save_is_refused_and_keeps_the_text(ana_client, sofia_client, draft):
    opened_by_ana = form_data(draft, summary="Texto de Ana")
    opened_by_sofia = form_data(draft, summary="Texto de Sofía")
    assert (
        sofia_client.post(f"/en/practices/{draft.slug}/edit/", opened_by_sofia).status_code == 302
    )
    with translation.override("en"):
        response = ana_client.post(f"/en/practices/{draft.slug}/edit/", opened_by_ana)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this practice after you opened it" in html
    assert "Texto de Ana" in html  # her text is kept in the form
    draft.refresh_from_db()
    assert draft.summary == "Texto de Sofía"
    assert draft.version == 2


def test_service_checks_the_version_with_one_guarded_update(ana, draft):
    data = {"title": "Otro título"}
    with pytest.raises(services.ConcurrentEditError):
        services.practice_update(practice=draft, user=ana, data=data, expected_version=99)
    draft.refresh_from_db()
    assert draft.title != "Otro título"
    assert draft.version == 1


def test_edit_form_without_version_is_refused(ana_client, draft):
    data = form_data(draft)
    del data["version"]
    response = ana_client.post(f"/en/practices/{draft.slug}/edit/", data)
    assert "version" in response.context["form"].errors


def test_the_review_comment_is_shown_above_the_form(ana_client, draft):
    draft.review_comment = "Agregar cifras de cobertura."
    draft.save()
    html = ana_client.get(f"/en/practices/{draft.slug}/edit/").content.decode()
    assert "Sent back with comments" in html
    assert html.index("Agregar cifras de cobertura.") < html.index('class="form practice-form"')
    assert "Agregar cifras de cobertura." in html
