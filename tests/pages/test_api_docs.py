"""The open API's pages for people: the guide ("Use the API") and the reference rendered
from the OpenAPI document."""

import pytest

from tests.api.conftest import LISTS

pytestmark = pytest.mark.django_db

GUIDE_TITLES = {"es": "Usar la API", "pt-br": "Usar a API", "en": "Use the API"}


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("/pt-br", "pt-br"), ("/en", "en")])
def test_guide_in_each_language_with_curl_and_python(visitor, prefix, language):
    response = visitor.get(f"{prefix}/data/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{GUIDE_TITLES[language]}</h1>" in html
    assert 'curl "http://testserver/api/v1/practices?limit=100"' in html
    assert "import requests" in html and 'page["next"]' in html  # the cursor loop
    assert "If-None-Match" in html and "lang=pt-br" in html
    assert 'href="/api/v1/openapi.json"' in html
    for name in LISTS:
        assert f'href="{prefix}/data/api/reference/#{name}"' in html, name


def test_reference_lists_every_operation_with_its_parameters_fields_and_answers(visitor):
    html = visitor.get("/pt-br/data/api/reference/").content.decode()
    for name in LISTS:
        assert f'<section class="api-operation" id="{name}"' in html, name
        assert f'<code class="api-path">GET /api/v1/{name}</code>' in html
    assert html.count("<h1") == 1
    assert '<h2 id="practices-title">Práticas publicadas</h2>' in html
    assert "<code>theme</code>" in html and "<code>year_from</code>" in html  # filters
    assert "<code>themes[].name</code>" in html and "<code>city.country</code>" in html
    assert "<code>429</code>" in html and "<code>304</code>" in html
    # examples from the schema, and the example request built from them
    assert "<code>sdg-01</code>" in html
    assert 'curl "http://testserver/api/v1/practices?goal=sdg-01"' in html
    # no script of any kind: the reference is plain HTML under the portal's CSP
    assert "<script" not in html.split("</header>", 1)[1].split("<footer", 1)[0]


def test_feeds_page_and_footer_link_to_the_guide(visitor):
    feeds = visitor.get("/en/feeds/").content.decode()
    assert 'href="/en/data/api/"' in feeds.split("<footer", 1)[0]
    privacy = visitor.get("/en/privacy/").content.decode()
    assert 'href="/en/data/api/"' in privacy.split("<footer", 1)[1]


@pytest.mark.parametrize("path", ["/en/data/api/", "/en/data/api/reference/"])
def test_pages_refuse_post(visitor, path):
    assert visitor.post(path).status_code == 405


def test_both_pages_are_in_the_sitemap(visitor):
    xml = visitor.get("/sitemap.xml").content.decode()
    assert "/data/api/</loc>" in xml and "/data/api/reference/</loc>" in xml
