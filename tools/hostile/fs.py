"""Filesystem entries that stop a naive folder reader: a FIFO named like a PDF (opening it blocks), a dangling
symlink, a link to itself (ELOOP), a directory link back up the tree (os.walk loops), a name that is not UTF-8."""

from __future__ import annotations

import os
from pathlib import Path

BAD_NAME = b"bad\xff\xfe name.pdf"  # not valid UTF-8


def add_oddities(folder: Path, good_pdf: bytes) -> dict[str, str]:
    """Create the oddities in ``folder``; returns {entry name as stored (lossless text): what it is}."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    os.mkfifo(folder / "fifo.pdf")
    made["fifo.pdf"] = "fifo"
    os.symlink(folder / "no-such-target.pdf", folder / "dangling.pdf")
    made["dangling.pdf"] = "dangling_symlink"
    os.symlink("loop.pdf", folder / "loop.pdf")
    made["loop.pdf"] = "symlink_loop"
    (folder / "sub").mkdir(exist_ok=True)
    os.symlink("..", folder / "sub" / "up")  # a directory loop: adds no entry of its own
    with open(os.path.join(os.fsencode(folder), BAD_NAME), "wb") as f:
        f.write(good_pdf)
    made["bad%FF%FE name.pdf"] = "undecodable_name"
    return made
