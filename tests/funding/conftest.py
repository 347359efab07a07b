"""Fixtures of the funding tests: the practices' three themes, which calls are filed under."""

from tests.experiences.conftest import themes  # noqa: F401  (a fixture, used by name)
