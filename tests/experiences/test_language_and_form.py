"""A practice is written in its author's language: the form's default follows the page's
language, a Portuguese practice is found by the Portuguese filter and says pt_BR to link
previews. The form is laid out in titled sections with a summary of what is missing."""

import pytest
from django.utils import translation

from experiences.forms import default_language
from experiences.models import Practice
from tests.experiences.conftest import form_data


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("/pt-br", "pt-br"), ("/en", "en")])
def test_a_new_practice_is_written_in_the_language_of_the_page(
    ana_client, city_a, prefix, language
):
    response = ana_client.get(f"{prefix}/practices/new/")
    assert response.context["form"]["language"].value() == language
    html = response.content.decode()
    assert f'<option value="{language}" selected>' in html
    assert 'name="language"' in html  # shown, and changeable


def test_the_language_chosen_is_the_one_saved(ana_client, city_a, themes):
    data = form_data(city=city_a.pk, language="en", themes=[themes["gender"].pk])
    assert ana_client.post("/pt-br/practices/new/", data).status_code == 302
    assert Practice.objects.get().language == "en"


def test_off_the_portals_languages_the_authors_preference_is_used(bruno):
    with translation.override("de"):
        assert default_language(bruno) == "pt-br"


def test_a_portuguese_practice_is_found_by_the_portuguese_filter(visitor, make_practice):
    portuguese = make_practice(title="Acolhimento de famílias", language="pt-br")
    make_practice(title="Mesas de niñez", language="es")
    response = visitor.get("/pt-br/practices/?language=pt-br")
    assert [p.pk for p in response.context["page"].object_list] == [portuguese.pk]


@pytest.mark.parametrize(("language", "locale"), [("pt-br", "pt_BR"), ("es", "es_LA")])
def test_the_practice_page_announces_its_locale(visitor, make_practice, language, locale):
    practice = make_practice(language=language)
    html = visitor.get(f"/en/practices/{practice.slug}/").content.decode()
    assert f'<meta property="og:locale" content="{locale}">' in html
    assert f'<h1 lang="{language}">' in html


def test_the_form_is_in_titled_sections(ana_client, city_a):
    html = ana_client.get("/en/practices/new/").content.decode()
    for legend in ("About the practice", "Systematisation", "Partners and funding", "Documents"):
        assert f"<legend>{legend}</legend>" in html


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(ana_client, city_a):
    data = form_data(city=city_a.pk, title="", summary="", action="submit")
    with translation.override("en"):
        response = ana_client.post("/en/practices/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('id="form-errors-heading"') : html.index("<legend>")]
    assert '<a href="#id_title">Title</a>' in summary
    assert '<a href="#id_summary">Summary</a>' in summary
    assert '<a href="#id_themes">Themes</a>' in summary  # a group: its fieldset
    assert 'id="id_themes"' in html
    assert not Practice.objects.exists()


def test_partner_cities_are_check_boxes_with_a_filter(ana_client, city_a, city_b):
    html = ana_client.get("/en/practices/new/").content.decode()
    assert f'type="checkbox" name="partner_cities" value="{city_b.pk}"' in html
    assert '<select name="partner_cities"' not in html
    assert "data-checkbox-filter=" in html
    assert "checkbox-filter.js" in html
    assert "Ctrl" not in html


def test_partner_cities_ticked_are_saved(ana_client, city_a, city_b, themes):
    data = form_data(city=city_a.pk, partner_cities=[city_b.pk], themes=[themes["gender"].pk])
    assert ana_client.post("/en/practices/new/", data).status_code == 302
    assert list(Practice.objects.get().partner_cities.all()) == [city_b]
