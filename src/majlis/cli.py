"""The ``majlis`` command: Django's management commands under one name.

``majlis serve``, ``majlis demo``, ``majlis migrate``, ``majlis worker`` … Hyphenated names
(``majlis purge-personal-data``) map to the underscored command modules.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    # Files Majlis creates (SQLite database, outbox with log-in links, keys, uploads) are readable by
    # the account running it only; the web server and worker that `serve` starts inherit this.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "majlis.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "majlis"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
