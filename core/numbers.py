"""The one parser for whole numbers that arrive as text: query parameters, form values and
environment variables accept ASCII digits only, within bounds, or fall back to a default."""

import re

# ASCII digits only: str.isdigit() and int() also take '²', '①' or '١٢'. At most 18 digits,
# so that every accepted value fits a 64-bit database column.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_int(value, *, default=None, min_value=None, max_value=None):
    """`value` (a string, or None) as an int when it is 1 to 18 ASCII digits within
    [min_value, max_value]; `default` for anything else (missing, empty, signed, spaced,
    non-ASCII digits, out of bounds)."""
    if not isinstance(value, str) or not _WHOLE_NUMBER.fullmatch(value):
        return default
    number = int(value)
    if min_value is not None and number < min_value:
        return default
    if max_value is not None and number > max_value:
        return default
    return number


def page_number(query) -> int:
    """The `page` of a query string (request.GET) for Paginator.get_page: 1 when absent or
    malformed; get_page itself turns a number past the end into the last page."""
    return parse_int(query.get("page"), default=1)
