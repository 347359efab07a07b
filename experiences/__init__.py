"""Practices: the local social-policy practices cities publish, their themes and feeds."""
