from experiences.models import Practice


def test_sitemap_lists_public_objects_in_every_language_but_never_drafts(visitor, make_practice):
    make_practice(title="Mesas barriales", slug="mesas-barriales")
    make_practice(title="Borrador", slug="borrador-secreto", status=Practice.Status.DRAFT)
    response = visitor.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>http://testserver/cities/quilmes-ar/</loc>" in body
    assert "<loc>http://testserver/pt-br/cities/quilmes-ar/</loc>" in body
    assert "<loc>http://testserver/en/practices/mesas-barriales/</loc>" in body
    assert 'hreflang="pt-br"' in body
    assert "borrador-secreto" not in body
