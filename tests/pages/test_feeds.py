"""The feeds and open-data index."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
def test_feeds_page_lists_every_feed_and_export(request, client_name, db):
    client = request.getfixturevalue(client_name)
    response = client.get("/en/feeds/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in [
        "experiences:feed",
        "cities:export_csv",
        "cities:export_json",
        "mapping:export_indicators_csv",
        "mapping:export_problems_json",
        "mapping:export",
    ]:
        assert reverse(name).replace("/es/", "/").split("/", 2)[-1] in html
    assert "?theme=" in html
    assert "calendar.ics" in html  # the events app offers events:calendar
    assert html.count("<h1") == 1


def test_feeds_page_refuses_post(visitor, db):
    assert visitor.post("/en/feeds/").status_code == 405


def test_footer_links_to_the_feeds_page(visitor, db):
    assert 'href="/en/feeds/"' in visitor.get("/en/privacy/").content.decode()
