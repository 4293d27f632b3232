"""Text-loss audit: per page, the letters our text path ships (the ``ours`` adapter: extract-docling + filter's
post-processing) against those poppler's ``pdftotext`` reads, as multisets (lowercased letters, order and
spacing ignored). A page where we ship under ``--min-share`` of pdftotext's letters is listed; so is one where
we ship nothing. PyMuPDF's own reading of the page (``mupdf_shared``) tells a loss of the layout (MuPDF has the
letters, we drop them) from one of the reader (neither has them, or they decode a font differently).

    python -m tools.eval_quality.text_loss --out /tmp/text-loss.csv FOLDER_OR_PDF ...
    python -m tools.eval_quality.text_loss --suites-dev --corpus --out /tmp/text-loss.csv

``--suites-dev`` adds the development parts of the external suites (never their held-out parts); ``--corpus``
adds ../shared/corpus; a PDF named as a held-out document of any suite is left out. Each PDF is read in a worker process given ``--timeout`` seconds (a hostile PDF costs a
row, not the run).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import subprocess
from collections import Counter
from pathlib import Path

from tools.eval_quality.fetch import REPO_ROOT
from tools.eval_quality.systems import poppler_pages


def letters(text: str) -> Counter[str]:
    """A text's letters, lowercased, as a multiset."""
    return Counter(c for c in text.lower() if c.isalpha())


def pdftotext_pages(path: Path, timeout: float) -> list[str] | None:
    """Poppler's reading of each page (as the eval's ``pdftotext`` system reads it; what it read before an
    error), None where it hangs."""
    try:
        return poppler_pages(path.read_bytes(), timeout, check=False)
    except subprocess.TimeoutExpired:
        return None


def _worker(conn) -> None:
    """Reads PDFs sent over ``conn``: (our page texts or the error, PyMuPDF's page texts)."""
    import pymupdf

    from tools.eval_quality.systems import pipeline_pages

    ours = pipeline_pages()
    while True:
        data = Path(conn.recv()).read_bytes()
        try:
            pages, error = ours(data), None
        except Exception as exc:  # noqa: BLE001 - an unreadable PDF is a row
            pages, error = [], f"{type(exc).__name__}: {exc}"[:200]
        try:
            with pymupdf.open(stream=data, filetype="pdf") as doc:
                mupdf = [page.get_text() for page in doc]
        except Exception:  # noqa: BLE001
            mupdf = []
        conn.send((pages, error, mupdf))


def page_rows(name: str, ours: list[str], poppler: list[str], mupdf: list[str]) -> list[dict]:
    """One row per page: letters we ship, pdftotext reads, we share with it, PyMuPDF shares with it."""
    rows = []
    for i in range(max(len(ours), len(poppler))):
        mine, theirs = letters(ours[i] if i < len(ours) else ""), letters(poppler[i] if i < len(poppler) else "")
        raw = letters(mupdf[i] if i < len(mupdf) else "")
        total = sum(theirs.values())
        shared = sum((mine & theirs).values())
        rows.append({"file": name, "page": i, "ours": sum(mine.values()), "pdftotext": total, "shared": shared,
                     "mupdf_shared": sum((raw & theirs).values()),
                     "share": round(shared / total, 3) if total else None, "error": ""})
    return rows


def audit(pdfs: list[Path], timeout: float = 120.0) -> list[dict]:
    rows: list[dict] = []
    conn = proc = None
    for path in pdfs:
        if proc is None:
            conn, child = mp.Pipe()
            proc = mp.Process(target=_worker, args=(child,), daemon=True)
            proc.start()
        poppler = pdftotext_pages(path, timeout) or []
        conn.send(str(path))
        if not conn.poll(timeout):
            proc.kill()
            proc = None
            rows.append({"file": str(path), "page": -1, "error": f"timeout after {timeout:.0f} s"})
            continue
        ours, error, mupdf = conn.recv()
        if error:
            rows.append({"file": str(path), "page": -1, "error": error})
        rows += page_rows(str(path), ours, poppler, mupdf)
    if proc is not None:
        proc.kill()
    return rows


def dev_suite_pdfs() -> list[Path]:
    """The development parts of the external suites on this machine (one not prepared here is skipped): never a
    held-out document."""
    from tools.eval_quality import suites

    pdfs: list[Path] = []
    for name in suites.READERS:
        try:
            pdfs += [doc.pdf for doc in suites.load(name) if doc.split == suites.DEV]
        except FileNotFoundError:
            continue
    return pdfs


def held_out_names() -> set[str]:
    """Names (stems) of every held-out document of the suites on this machine: a PDF of that name given on the
    command line (a test folder of the suite's own repository) is left out."""
    from tools.eval_quality import suites

    names: set[str] = set()
    for name in suites.READERS:
        try:
            names |= {doc.pdf.stem for doc in suites.load(name) if doc.split == suites.HELD_OUT}
        except FileNotFoundError:
            continue
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.eval_quality.text_loss", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="PDFs, or folders read recursively for *.pdf")
    parser.add_argument("--suites-dev", action="store_true", help="the external suites' development parts")
    parser.add_argument("--corpus", action="store_true", help="../shared/corpus")
    parser.add_argument("--out", type=Path, required=True, help="CSV, one row per page")
    parser.add_argument("--min-share", type=float, default=0.9)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    folders = list(args.paths) + ([REPO_ROOT.parent / "shared" / "corpus"] if args.corpus else [])
    pdfs = [p for f in folders for p in (sorted(f.rglob("*.pdf")) if f.is_dir() else [f])]
    held_out = held_out_names()
    pdfs = [p for p in pdfs if p.stem not in held_out] + (dev_suite_pdfs() if args.suites_dev else [])
    rows = audit(pdfs, args.timeout)
    with args.out.open("w", newline="") as f:
        writer = csv.DictWriter(f, ["file", "page", "ours", "pdftotext", "shared", "mupdf_shared", "share", "error"])
        writer.writeheader()
        writer.writerows(rows)
    lost = [r for r in rows if r["page"] != -1 and r["pdftotext"] >= 20 and r["share"] < args.min_share]
    for r in sorted(lost, key=lambda r: r["share"]):
        print(f"{r['share']:.3f}  {r['shared']}/{r['pdftotext']} (MuPDF {r['mupdf_shared']})  {r['file']} p{r['page'] + 1}")
    print(f"{len(pdfs)} PDFs, {sum(r['page'] != -1 for r in rows)} pages; {len(lost)} under {args.min_share} of "
          f"pdftotext's letters, {sum(r['ours'] == 0 for r in lost)} with none; rows in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
