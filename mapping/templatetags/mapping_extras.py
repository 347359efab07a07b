"""Presentation helpers for the mapping templates (no queries, no permission decisions)."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for dicts keyed by ids (practices by problem)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def number_format(decimals) -> str:
    """The `floatformat` argument for an indicator: its decimals with thousands grouping."""
    return f"{int(decimals or 0)}g"


@register.filter
def exact_number(value):
    """A Decimal as entered (no padding zeros), in the page's number format."""
    if value is None:
        return ""
    try:
        plain = Decimal(format(Decimal(value).normalize(), "f"))
    except (ArithmeticError, ValueError, TypeError):
        return value
    return formats.number_format(plain, use_l10n=True, force_grouping=True)
