"""What ingest reads: every entry of the input folder with an input name, each checked before it is opened.

A crawl is hostile input and so is the folder it lands in. The listing never opens anything: it stats each entry
(following links) and sorts it into a PDF file, a WARC file, or a problem that becomes an error row:

- ``BrokenLink``: a symbolic link whose target is missing, or that loops (ELOOP);
- ``NotARegularFile``: a FIFO, socket or device with an input name (opening a FIFO blocks forever);
- ``UnreadableFile``: an entry that cannot be stat'ed, or a directory that cannot be listed.

Directories are walked once each (by device and inode), so a link back up the tree (a loop) or a second link to a
directory adds nothing: its files are listed under their first path, and the repeat is counted
(``directories_seen_twice``), not an error. Entries without an input name are not inputs and are not listed.

Names are bytes on POSIX; the datasets hold text. ``path_text`` is the lossless text form every stored path uses:
the name as UTF-8, with ``%`` and each byte that is not UTF-8 percent-encoded (``bad\\xff.pdf`` -> ``bad%FF.pdf``,
``100%.pdf`` -> ``100%25.pdf``); ``path_bytes`` (``urllib.parse.unquote_to_bytes``) gives the bytes back.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from shared import outcomes

KIND_PDF, KIND_WARC, KIND_PROBLEM = "pdf", "warc", "problem"


def path_text(path: str) -> str:
    """A path (str from os APIs, undecodable bytes as surrogate escapes) as lossless, valid UTF-8 text."""
    out = []
    for char in path:
        code = ord(char)
        if char == "%":
            out.append("%25")
        elif 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte 0x80..0xFF
            out.append(f"%{code - 0xDC00:02X}")
        elif 0xD800 <= code <= 0xDFFF:  # any other lone surrogate cannot be UTF-8 either: its code as text
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)
    return "".join(out)


def path_bytes(text: str) -> bytes:
    """The inverse of ``path_text``: the raw bytes of the stored path."""
    return unquote_to_bytes(text)


@dataclass(frozen=True)
class InputEntry:
    """One input: ``path`` relative to the input folder (an os str: surrogate escapes kept), its size, its kind,
    and for a problem entry its declared error (shared/outcomes.py)."""

    path: str
    size: int
    kind: str
    error: outcomes.StageError | None = None

    @property
    def error_class(self) -> str | None:
        return self.error.error_class if self.error is not None else None

    @property
    def text(self) -> str:
        return path_text(self.path)


@dataclass
class Listing:
    entries: list[InputEntry]
    directories_seen_twice: int = 0
    ignored_broken_links: int = 0  # broken links without an input name (not inputs: unknown what they were)

    def digest(self) -> str:
        """What the listing holds (paths, sizes, kinds): two passes over one input must see the same."""
        items = [[e.text, e.size, e.kind, e.error_class] for e in self.entries]
        return hashlib.sha256(json.dumps(items, separators=(",", ":")).encode()).hexdigest()


class InputNames:
    """Which names are inputs: PDFs by their endings, WARC archives by theirs (case-insensitive)."""

    def __init__(self, extensions: tuple[str, ...], warc_extensions: tuple[str, ...]):
        self.extensions = tuple(e.lower() for e in extensions)
        self.warc_extensions = tuple(e.lower() for e in warc_extensions)

    def kind(self, name: str) -> str | None:
        lower = name.lower()
        if lower.endswith(self.warc_extensions):
            return KIND_WARC
        if lower.endswith(self.extensions):
            return KIND_PDF
        return None


def _problem(path: str, error: outcomes.StageError) -> InputEntry:
    return InputEntry(path, 0, KIND_PROBLEM, error)


_FILE_TYPES = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device"}


def not_regular_reason(mode: int) -> str:
    return _FILE_TYPES.get(stat.S_IFMT(mode), f"not a regular file (mode {stat.S_IFMT(mode):o})")


def list_local(root: str, names: InputNames) -> Listing:
    """Every input under a local folder, symlinks followed, each directory once; sorted by path."""
    listing = Listing([])
    seen: set[tuple[int, int]] = set()

    def walk(rel: str) -> None:
        full = os.path.join(root, rel) if rel else root
        try:
            info = os.stat(full)
        except OSError as error:
            listing.entries.append(_problem(rel, outcomes.UnreadableFile(f"cannot stat directory: {error}")))
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            listing.directories_seen_twice += 1
            return
        seen.add(key)
        try:
            with os.scandir(full) as found:
                children = sorted(found, key=lambda e: e.name)
        except OSError as error:
            listing.entries.append(_problem(rel, outcomes.UnreadableFile(f"cannot list directory: {error}")))
            return
        for child in children:
            child_rel = os.path.join(rel, child.name) if rel else child.name
            kind = names.kind(child.name)
            try:
                info = os.stat(child.path)  # follows links; never opens
            except OSError as error:
                if kind is None:
                    listing.ignored_broken_links += 1 if os.path.islink(child.path) else 0
                    continue
                if os.path.islink(child.path):
                    why = "a symbolic link that loops" if error.errno == errno.ELOOP else "a symbolic link to nothing"
                    listing.entries.append(_problem(child_rel, outcomes.BrokenLink(f"{why}: {error.strerror}")))
                else:
                    listing.entries.append(_problem(child_rel, outcomes.UnreadableFile(f"cannot stat: {error}")))
                continue
            if stat.S_ISDIR(info.st_mode):
                walk(child_rel)
            elif kind is None:
                continue
            elif stat.S_ISREG(info.st_mode):
                listing.entries.append(InputEntry(child_rel, info.st_size, kind))
            else:
                reason = f"{not_regular_reason(info.st_mode)}, never opened"
                listing.entries.append(_problem(child_rel, outcomes.NotARegularFile(reason)))

    walk("")
    listing.entries.sort(key=lambda e: e.path)
    return listing


def list_remote(data_folder, names: InputNames) -> Listing:
    """Every input of an fsspec folder (object stores hold only regular objects)."""
    root = data_folder.path
    entries = []
    for path, info in data_folder.find("", detail=True, withdirs=False).items():
        rel = path[len(root):].lstrip("/") if path.startswith(root) else path
        kind = names.kind(rel.rsplit("/", 1)[-1])
        if kind is not None:
            entries.append(InputEntry(rel, int(info.get("size") or 0), kind))
    return Listing(sorted(entries, key=lambda e: e.path))


def assign(entries: list[InputEntry], world_size: int) -> list[int]:
    """The task of each entry: contiguous runs of the listing (input order), cut so that tasks get about the same
    number of documents (a PDF file or a problem counts one, a WARC file as many PDFs as its size holds: its size
    over the median PDF size). Contiguous, so that (shard, row) order is input order for any task count: every
    later stage reads contiguous runs of shards too, and dedup keeps the first copy in that order."""
    pdf_sizes = sorted(e.size for e in entries if e.kind == KIND_PDF)
    typical = max(1, pdf_sizes[len(pdf_sizes) // 2]) if pdf_sizes else 1 << 20
    weights = [max(1, round(e.size / typical)) if e.kind == KIND_WARC else 1 for e in entries]
    total = sum(weights) or 1
    task, before = [], 0
    for weight in weights:  # each entry goes to the task its weight's midpoint falls in
        task.append(min(world_size - 1, int((before + weight / 2) * world_size / total)))
        before += weight
    return task
