"""The practices feed per social problem and per city (`?problem=`, `?city=`), so that
anyone can follow them in a feed reader; an unknown value is refused, naming the filter."""

import xml.etree.ElementTree as ET  # our own feed, not untrusted input

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(response):
    root = ET.fromstring(response.content)  # noqa: S314
    return sorted(entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry"))


def test_feed_per_problem(visitor, network):
    response = visitor.get("/en/practices/feed/?problem=housing")
    assert response.status_code == 200
    assert titles(response) == ["Techo (Montevideo)", "Vivienda digna (La Plata)"]
    root = ET.fromstring(response.content)  # noqa: S314
    assert "housing shortage" in root.find(f"{ATOM}title").text


def test_feed_per_city_and_problem(visitor, network):
    response = visitor.get("/en/practices/feed/?city=la-plata-ar&problem=child-poverty")
    assert titles(response) == ["Mesa de niñez (La Plata)"]
    root = ET.fromstring(response.content)  # noqa: S314
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert "problem=child-poverty" in self_link and "city=la-plata-ar" in self_link


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("problem=nope", "problem"),
        ("city=nope", "city"),
        ("city=", "city"),
        ("problem=%00", "problem"),
    ],
)
def test_unknown_value_is_refused_naming_the_filter(visitor, network, query, name):
    response = visitor.get(f"/en/practices/feed/?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{name}:")
