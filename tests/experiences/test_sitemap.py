from experiences.models import Practice
from tests.http import page_html


def test_sitemap_lists_public_objects_in_every_language_but_never_drafts(visitor, make_practice):
    make_practice(title="Mesas barriales", slug="mesas-barriales")
    make_practice(title="Borrador", slug="borrador-secreto", status=Practice.Status.DRAFT)
    body = page_html(visitor, "/sitemap.xml")
    assert "<loc>http://testserver/cities/quilmes-ar/</loc>" in body
    assert "<loc>http://testserver/pt-br/cities/quilmes-ar/</loc>" in body
    assert "<loc>http://testserver/en/practices/mesas-barriales/</loc>" in body
    assert 'hreflang="pt-br"' in body
    assert "borrador-secreto" not in body
