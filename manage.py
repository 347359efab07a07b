#!/usr/bin/env python
"""Django's command-line utility for the UTDS portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utds.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as error:
        # An unreachable or misnamed database: one sentence, not a traceback wall.
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        sys.exit(
            "Cannot connect to the database: check DATABASE_URL "
            f"(or unset it to use the embedded server). {first_line}"
        )


if __name__ == "__main__":
    main()
