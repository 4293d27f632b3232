"""Mutants of a well-formed PDF: the damage a crawl, a disk or a careless tool does to real files.

Each mutation takes the PDF's bytes (and a seeded ``random.Random`` where it chooses) and returns new bytes;
the same input and seed give the same mutant. ``mutants(name, pdf, rng)`` yields the whole set for one PDF.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

TRUNCATE_FRACTIONS = (0.02, 0.1, 0.25, 0.4, 0.5, 0.75, 0.9, 0.98, 0.999)
FLIP_COUNTS = (1, 16, 256)
_OBJECT = re.compile(rb"(?m)^(\d+) (\d+) obj\b.*?endobj\s*", re.S)
_XREF_ROW = re.compile(rb"(?m)^(\d{10}) (\d{5}) ([nf])")


def truncate(pdf: bytes, at: int) -> bytes:
    """The first ``at`` bytes (`head -c AT file.pdf`)."""
    return pdf[:at]


def flip_bytes(pdf: bytes, rng: random.Random, count: int) -> bytes:
    """``count`` bytes XOR-ed with a random non-zero value, at random positions after the header."""
    out = bytearray(pdf)
    for _ in range(count):
        i = rng.randrange(min(16, len(out) - 1), len(out))
        out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def scramble_xref(pdf: bytes, rng: random.Random) -> bytes:
    """Every in-use xref offset replaced by a random one: a reader that trusts the table reads garbage."""
    return _XREF_ROW.sub(lambda m: b"%010d %s %s" % (rng.randrange(len(pdf)), m.group(2), m.group(3))
                         if m.group(3) == b"n" else m.group(0), pdf)


def drop_startxref(pdf: bytes) -> bytes:
    """Without ``startxref`` the reader cannot find the xref table and has to rebuild it."""
    return re.sub(rb"startxref\s+\d+", b"", pdf)


def shift_offsets(pdf: bytes, junk: int = 333) -> bytes:
    """Junk before the header: every offset in the xref is off by ``junk`` bytes (PDF allows junk in 1 KiB)."""
    return b"%" + b"J" * (junk - 2) + b"\n" + pdf


def delete_object(pdf: bytes, rng: random.Random) -> bytes:
    """One object removed (its bytes cut out), chosen at random: a page, a font, a content stream, the tree."""
    found = list(_OBJECT.finditer(pdf))
    if not found:
        return pdf
    victim = rng.choice(found)
    return pdf[: victim.start()] + pdf[victim.end():]


def delete_page_tree(pdf: bytes) -> bytes:
    """The object that /Root's /Pages names removed: the document has no reachable pages."""
    pages = re.search(rb"/Pages\s+(\d+)\s+0\s+R", pdf)
    if not pages:
        return pdf
    victim = re.search(rb"(?ms)^%s 0 obj\b.*?endobj\s*" % pages.group(1), pdf)
    return pdf[: victim.start()] + pdf[victim.end():] if victim else pdf


def mutants(name: str, pdf: bytes, rng: random.Random, varied: bool = False) -> Iterator[tuple[str, str, bytes]]:
    """(mutant name, mutation kind, bytes) of every mutation of one PDF; ``varied``: truncations at seeded
    offsets and a seeded shift instead of the fixed ones (a second round of mutants differs from the first)."""
    fractions = sorted(rng.random() for _ in TRUNCATE_FRACTIONS) if varied else TRUNCATE_FRACTIONS
    for fraction in fractions:
        at = max(1, int(len(pdf) * fraction))
        yield f"{name}.trunc-{at}", "truncated", truncate(pdf, at)
    for count in FLIP_COUNTS:
        yield f"{name}.flip-{count}", "byte_flips", flip_bytes(pdf, rng, count)
    yield f"{name}.xref-scrambled", "xref_damage", scramble_xref(pdf, rng)
    yield f"{name}.no-startxref", "xref_damage", drop_startxref(pdf)
    junk = rng.randrange(8, 1000) if varied else 333
    yield f"{name}.shifted-{junk}", "xref_damage", shift_offsets(pdf, junk)
    yield f"{name}.deleted-object", "deleted_object", delete_object(pdf, rng)
    yield f"{name}.no-page-tree", "deleted_object", delete_page_tree(pdf)
