import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from mapping.models import CityProblem, IndicatorValue


def test_clean_explains_the_priority_and_year_rules(city_a, poverty):
    entry = CityProblem(city=city_a, problem=poverty, year=1980, priority=9, source="x")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert error.value.message_dict == {
        "priority": ["The priority goes from 1 (most pressing) to 5."],
        "year": ["The year must be between 1990 and 2100."],
    }


def test_the_database_refuses_a_priority_out_of_range(city_a, poverty):
    with pytest.raises(IntegrityError):
        CityProblem.objects.create(city=city_a, problem=poverty, year=2020, priority=0, source="x")


def test_breakdown_is_part_of_the_key_of_a_value(city_a, unemployment):
    IndicatorValue.objects.create(
        city=city_a, indicator=unemployment, year=2020, value=1, source="x"
    )
    IndicatorValue.objects.create(
        city=city_a, indicator=unemployment, year=2020, breakdown_id="women", value=2, source="x"
    )
    with pytest.raises(IntegrityError):
        IndicatorValue.objects.create(
            city=city_a, indicator=unemployment, year=2020, value=3, source="x"
        )
