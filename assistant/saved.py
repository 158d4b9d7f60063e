"""Files a process saves in the data folder for the next one: written whole or not at all.

Saved copies spare a one-shot command work another process already did (the guidelines read
from Chroma, knowledge phrases embedded). Each file is named by what it was made from, so a
reader never needs to ask whether it is stale; a newer file replaces the older ones.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def save(path: Path, write: Callable[[BinaryIO], None], replaces: str = "") -> bool:
    """Write a file atomically, then remove the files of its folder matching ``replaces``.

    False when the folder cannot take it (read-only, full): the next process only does the
    work again.
    """
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            write(out)
        partial.replace(path)
        for older in path.parent.glob(replaces) if replaces else ():
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True
