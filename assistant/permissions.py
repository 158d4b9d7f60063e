"""File permissions at rest: the data folder and everything in it belong to its user alone."""

from __future__ import annotations

import os

PRIVATE_UMASK = 0o077  # folders 0700, files 0600


def keep_files_private() -> None:
    """Make what this process creates readable by its user only: folders 0700, files 0600.

    The data folder holds session notes; the CLI and the server call this once at start-up,
    before anything opens the store or the index. Files that already exist keep their modes.
    """
    os.umask(PRIVATE_UMASK)
