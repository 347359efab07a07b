"""Funding calls for the member cities and the cities' interest in them."""
