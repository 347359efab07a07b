"""The joint map: social problems, development goals, indicators and each city's values."""
