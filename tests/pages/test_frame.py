import gzip
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from utds.pages.views import error_500

HOME_TITLES = {
    "/": "Unidad Temática de Desarrollo Social de Mercociudades",
    "/pt-br/": "Unidade Temática de Desenvolvimento Social de Mercocidades",
    "/en/": "Social Development Thematic Unit of Mercociudades",
}


@pytest.mark.parametrize(("path", "lang"), [("/", "es"), ("/pt-br/", "pt-br"), ("/en/", "en")])
def test_home_answers_in_each_language_with_html_lang(visitor, db, path, lang):
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert HOME_TITLES[path] in html


def test_home_has_skip_link_landmarks_and_no_login_for_visitor_only_link(visitor, db):
    html = visitor.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<footer" in html
    assert reverse("account_login") in html
    assert "Cerrar sesión" not in html


def test_language_switcher_links_keep_the_visitor_on_the_same_page(visitor, db):
    html = visitor.get("/en/accounts/login/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html))
    assert links == {
        "/accounts/login/": "es",
        "/pt-br/accounts/login/": "pt-br",
        "/en/accounts/login/": "en",
    }
    assert 'hreflang="en" lang="en" aria-current="true"' in html


def test_language_switcher_keeps_the_query_string(visitor, db):
    html = visitor.get("/accounts/login/?next=/en/").content.decode()
    assert 'href="/pt-br/accounts/login/?next=/en/"' in html


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/no-such-page/", "Página no encontrada"),
        ("/pt-br/no-such-page/", "Página não encontrada"),
        ("/en/no-such-page/", "Page not found"),
    ],
)
def test_unknown_url_gets_translated_404_in_the_frame(visitor, db, path, text):
    response = visitor.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert '<main id="main"' in html


def test_server_error_page_is_translated_and_in_the_frame(db):
    request = RequestFactory().get("/en/")
    with translation.override("pt-br"):
        response = error_500(request)
    assert response.status_code == 500
    assert "Algo deu errado" in response.content.decode()


def test_healthz_reports_database_ok(visitor, db):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def get_without_database(client, path):
    """GET `path` while the database cannot be reached (a name that does not exist)."""
    settings_dict = connection.settings_dict
    real_name = settings_dict["NAME"]
    connection.close()
    settings_dict["NAME"] = "utds_database_that_does_not_exist"
    try:
        return client.get(path)
    finally:
        connection.close()
        settings_dict["NAME"] = real_name


def test_healthz_answers_503_when_the_database_is_unreachable(visitor, transactional_db):
    response = get_without_database(visitor, "/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert response["Retry-After"] == "5"


def test_robots_txt_points_to_the_sitemap(visitor, db):
    response = visitor.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    for prefix in ("", "/pt-br", "/en"):
        assert f"Disallow: {prefix}/accounts/" in body
        assert f"Disallow: {prefix}/dashboard/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_the_home_page_in_every_language(visitor, db):
    response = visitor.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for url in ("http://testserver/", "http://testserver/pt-br/", "http://testserver/en/"):
        assert f"<loc>{url}</loc>" in body


def test_static_assets_of_the_frame_are_self_hosted(visitor, db):
    html = visitor.get("/").content.decode()
    addresses = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    external = [url for url in addresses if not url.startswith("http://testserver/")]
    assert external == []


def test_every_page_names_its_canonical_address_and_language_alternates(visitor, db):
    html = visitor.get("/en/accounts/login/?next=/en/").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/accounts/login/">' in html
    assert (
        '<link rel="alternate" hreflang="pt-br" '
        'href="http://testserver/pt-br/accounts/login/?next=/en/">'
    ) in html


def test_every_page_carries_opengraph_tags(visitor, db):
    html = visitor.get("/en/cities/").content.decode()
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:url" content="http://testserver/en/cities/">' in html
    assert 'property="og:title"' in html


def test_a_page_answers_503_with_retry_after_when_the_database_is_unreachable(
    visitor, transactional_db
):
    response = get_without_database(visitor, "/en/practices/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()


def test_a_host_we_do_not_serve_gets_the_400_page_not_a_500(visitor, db, settings):
    # The frame's canonical link reads the host; for this request it must not fail again.
    response = visitor.get("/en/", HTTP_HOST="not-ours.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<main id="main"' in html
    assert f'rel="canonical" href="{settings.PORTAL_URL}/en/"' in html


def test_pages_are_sent_compressed_to_a_browser_that_accepts_it(visitor, city_a):
    plain = visitor.get("/en/cities/")
    packed = visitor.get("/en/cities/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "Quilmes" in html
    assert len(packed.content) < len(plain.content) / 2
