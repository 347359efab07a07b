import pytest
from django.db import IntegrityError
from django.utils import translation

from mapping import demo
from mapping.models import DevelopmentGoal, SocialProblem
from tests.factories import in_each_language, in_three


@pytest.fixture
def vocabularies(db):
    demo.seed()


def test_goals_are_seeded_from_the_reference_data(vocabularies):
    assert DevelopmentGoal.objects.filter(framework="mdg").count() == 8
    assert DevelopmentGoal.objects.filter(framework="sdg").count() == 17
    goal = DevelopmentGoal.objects.get(framework="sdg", number=1)
    assert goal.colour == "#E5243B"
    names = ("Fin de la Pobreza", "Erradicação da pobreza", "No poverty")
    assert in_each_language(lambda: goal.name) == names
    assert in_each_language(lambda: str(goal)) == tuple(f"SDG 1 · {name}" for name in names)


def test_seeding_twice_changes_nothing(vocabularies):
    before = (DevelopmentGoal.objects.count(), SocialProblem.objects.count())
    demo.seed()
    assert (DevelopmentGoal.objects.count(), SocialProblem.objects.count()) == before


def test_problems_have_names_in_three_languages_and_related_goals(vocabularies):
    problem = SocialProblem.objects.get(slug="child-labour")
    assert (problem.name_es, problem.name_pt_br, problem.name_en) == (
        "Trabajo infantil",
        "Trabalho infantil",
        "Child labour",
    )
    assert list(problem.goals.values_list("number", flat=True)) == [8]
    assert SocialProblem.objects.values("category").distinct().count() >= 8


def test_goal_numbers_are_bounded_by_their_framework(db):
    with pytest.raises(IntegrityError):
        DevelopmentGoal.objects.create(
            framework="mdg",
            number=9,
            slug="mdg-9",
            **in_three("name", "x", "x", "x"),
            **in_three("title", "x", "x", "x"),
        )


def test_localized_name_falls_back_to_spanish(vocabularies):
    problem = SocialProblem.objects.get(slug="school-dropout")
    problem.name_en = ""
    with translation.override("en"):
        assert problem.name == "Abandono escolar"
