"""`python -m motcua` is the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "python -m motcua"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
