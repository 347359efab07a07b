"""The open API's HTTP manners: language, ETag/304 per language, Last-Modified, Vary,
caching, CORS for GET only, the rate limit, problem details naming the wrong parameter,
and cursor pagination that survives inserts."""

import pytest

from tests.api.conftest import api_get

pytestmark = pytest.mark.django_db


def test_language_from_the_parameter_and_the_header(client, themes):
    by_param = api_get(client, "themes?lang=pt-br")
    assert by_param.json()["language"] == "pt-br"
    assert by_param["Content-Language"] == "pt-br"
    assert by_param.json()["results"][0]["name"] == "Crianças"
    by_header = api_get(client, "themes", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert by_header["Content-Language"] == "en"
    assert by_header.json()["results"][0]["name"] == "Children"
    assert api_get(client, "themes").json()["results"][0]["name"] == "Niñez"


def test_etag_answers_304_per_language(client, themes):
    first = api_get(client, "themes?lang=es")
    etag = first["ETag"]
    again = api_get(client, "themes?lang=es", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Content-Language"] == "es"
    # the same list in English is another representation: a different tag, a full answer
    english = api_get(client, "themes", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=etag)
    assert english.status_code == 200
    assert english["ETag"] != etag


def test_etag_changes_when_the_data_changes(client, themes):
    etag = api_get(client, "themes")["ETag"]
    themes["gender"].name_es = "Géneros"
    themes["gender"].save()
    assert api_get(client, "themes", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_last_modified_and_if_modified_since(client, published):
    response = api_get(client, "practices")
    stamp = response["Last-Modified"]
    assert stamp
    assert api_get(client, "practices", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert api_get(client, "practices", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_gzipped_answers_keep_a_usable_weak_etag(client, themes):
    response = api_get(client, "themes", HTTP_ACCEPT_ENCODING="gzip")
    etag = response["ETag"]
    repeat = api_get(client, "themes", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304


def test_caching_and_vary_headers(client, themes):
    response = api_get(client, "themes")
    assert response["Cache-Control"] == "public, max-age=60"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Origin"} <= vary
    assert response["Content-Type"] == "application/json; charset=utf-8"


def preflight(client, method):
    """A browser's CORS preflight from another site asking whether it may send `method`."""
    return client.options(
        "/api/v1/themes",
        HTTP_ORIGIN="https://observatorio.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
    )


def test_cors_open_for_get_only(client, themes):
    response = api_get(client, "themes", HTTP_ORIGIN="https://observatorio.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = preflight(client, "GET")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Methods"] == "GET"
    refused = preflight(client, "DELETE")
    assert refused.status_code == 405
    assert "Access-Control-Allow-Origin" not in refused
    post = client.post("/api/v1/themes", HTTP_ORIGIN="https://observatorio.example")
    assert post.status_code in (403, 405)
    assert post["Content-Type"] == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in post


def test_rate_limit_answers_429_with_retry_after(client, settings, themes):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert api_get(client, "themes").status_code == 200
    refused = api_get(client, "themes")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    # another client address has its own count
    assert api_get(client, "themes", REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("practices?theme=no-such-theme", "theme"),
        ("practices?goal=sdg-99", "goal"),
        ("practices?year_from=abc", "year_from"),
        ("practices?colour=red", "colour"),
        ("cities?status=mayor", "status"),
        ("cities?working_group=none", "working_group"),
        ("events?kind=party", "kind"),
        ("funding-calls?status=someday", "status"),
        ("transfers?city=atlantis", "city"),
        ("transfers?contact=x", "contact"),
        ("city-problems?year=1800", "year"),
        ("themes?lang=fr", "lang"),
        ("themes?limit=0", "limit"),
        ("themes?cursor=%%%", "cursor"),
        ("themes?cursor=WzEsMiwzXQ", "cursor"),
    ],
)
def test_unknown_filters_answer_400_naming_the_filter(client, themes, query, name):
    response = api_get(client, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["title"] == "Bad Request"
    assert body["invalid_params"][0]["name"] == name
    assert name in body["detail"] or body["invalid_params"][0]["reason"]


def test_unknown_path_answers_a_problem(client):
    response = client.get("/api/v1/no-such-list", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_cursor_pagination_stays_correct_while_rows_are_inserted(client, make_practice):
    made = [make_practice(title=f"Práctica {n}") for n in range(5)]
    first = api_get(client, "practices?limit=2").json()
    seen = [row["slug"] for row in first["results"]]
    # newer practices arrive (they sort first) and one lands between the two pages
    make_practice(title="Nueva práctica")
    between = make_practice(title="Intermedia")
    between.published_at = made[2].published_at
    between.save()
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    original = [p.slug for p in sorted(made, key=lambda p: (p.published_at, p.pk), reverse=True)]
    assert [slug for slug in seen if slug in original] == original
    assert len(seen) == len(set(seen))


def test_next_link_keeps_the_filters(client, make_practice, themes):
    for n in range(3):
        make_practice(title=f"Migra {n}", themes=[themes["migration"]])
    body = api_get(client, "practices?theme=migration&limit=2&lang=en").json()
    assert "theme=migration" in body["next"] and "lang=en" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
