"""The ``cocity`` command: Django's management commands with cocity's settings.

``cocity runserver``, ``cocity migrate``, ``cocity demo-data`` ... and ``python -m cocity``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.local")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "cocity"
    # Command names with dashes read better on the command line; Django modules cannot have them.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
