"""Fetch the suite's PDFs into a cache outside git and cut the labelled pages out as one-page PDFs.

Debian sources: `apt-get download PKG=VERSION` into CACHE/debs, then only the PDFs the manifest names are
taken out of the package's data archive (`dpkg-deb --fsys-tarfile`), checked against their sha256. Corpus
sources are read in place from ../shared/corpus (relative to the repository root) and skipped when absent.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
MANIFEST = Path(__file__).with_name("manifest.csv")
SOURCE_CORPUS = "corpus"
MANIFEST_FIELDS = ["page_id", "source", "package", "version", "path", "sha256", "page", "kind", "features"]


def cache_dir() -> Path:
    return Path(os.environ.get("FINEPDFS_EVAL_CACHE") or Path.home() / ".cache" / "finepdfs-eval")


@dataclass(frozen=True)
class PageSource:
    """One labelled page: where its PDF comes from and which page (1-based) of it is judged."""

    page_id: str
    source: str  # "debian" or "corpus"
    package: str  # Debian package, or "" for the corpus
    version: str
    path: str  # path inside the package (usr/share/doc/...) or inside ../shared/corpus
    sha256: str
    page: int
    kind: str = ""  # paper, manual, letter, report, ...
    features: str = ""  # space-separated: twocol header footer pagenum stamp table list heading hyphen footnote

    @property
    def pdf_name(self) -> str:
        return f"{self.page_id}.pdf"


def read_manifest(path: Path = MANIFEST) -> list[PageSource]:
    with open(path, newline="") as f:
        return [PageSource(**{**row, "page": int(row["page"])}) for row in csv.DictReader(f)]


def write_manifest(sources: list[PageSource], path: Path = MANIFEST) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for s in sources:
            writer.writerow({k: getattr(s, k) for k in MANIFEST_FIELDS})


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class SourceUnavailable(Exception):
    """A source that cannot be had on this machine (no corpus folder, package not in the archive)."""


def _deb_files(package: str, version: str, debs: Path) -> list[Path]:
    # apt-get download writes the epoch as "%3a" (1:1.8-4-2 -> 1%3a1.8-4-2); other tools leave it out
    names = {version.replace(":", "%3a"), version.split(":", 1)[-1]}
    return sorted(p for name in names for p in debs.glob(f"{package}_{name}_*.deb"))


def _deb_file(package: str, version: str, debs: Path) -> Path:
    found = _deb_files(package, version, debs)
    if found:
        return found[0]
    debs.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=debs,
                            capture_output=True, text=True)
    found = _deb_files(package, version, debs)
    if result.returncode or not found:
        raise SourceUnavailable(f"apt-get download {package}={version} failed: {result.stderr.strip()[-300:]}")
    return found[0]


def _extract_members(deb: Path, members: list[str], into: Path) -> None:
    """Take only `members` (paths inside the package) out of the .deb's data archive (dpkg-deb streams it)."""
    wanted = {m.lstrip("./") for m in members}
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                name = member.name.lstrip("./")
                if name in wanted and member.isfile():
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(target, "wb") as dst:
                        dst.write(src.read())
                    wanted.discard(name)
                    if not wanted:
                        break
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    if wanted:
        raise SourceUnavailable(f"{deb.name} lacks {sorted(wanted)[:3]}")


def source_pdfs(sources: list[PageSource], cache: Path | None = None, log=print, fetch: bool = True
                ) -> dict[str, Path]:
    """page_id -> the full source PDF on disk, fetching Debian packages as needed (``fetch=False``: only what is
    cached); unavailable ones are left out with a message (no corpus folder, a package left the archive)."""
    cache = cache or cache_dir()
    debs, files = cache / "debs", cache / "quality" / "files"
    found: dict[str, Path] = {}
    by_package: dict[tuple[str, str], list[PageSource]] = {}
    for s in sources:
        if s.source == SOURCE_CORPUS:
            path = CORPUS_DIR / s.path
            if path.is_file():
                found[s.page_id] = path
            continue
        by_package.setdefault((s.package, s.version), []).append(s)
    if any(s.source == SOURCE_CORPUS for s in sources) and not CORPUS_DIR.is_dir():
        log(f"eval-quality: {CORPUS_DIR} is absent: its pages are skipped")
    for (package, version), group in by_package.items():
        root = files / f"{package}_{version}"
        missing = sorted({s.path for s in group if not (root / s.path).is_file()})
        if missing and fetch:
            try:
                log(f"eval-quality: fetching {package}={version} ({len(missing)} PDFs) into {cache}")
                _extract_members(_deb_file(package, version, debs), missing, root)
            except SourceUnavailable as error:
                log(f"eval-quality: {error}: its pages are skipped")
                continue
        for s in group:
            if (root / s.path).is_file():
                found[s.page_id] = root / s.path
    for s in sources:
        if s.page_id in found and s.sha256 and sha256_of(found[s.page_id]) != s.sha256:
            log(f"eval-quality: {found[s.page_id]} does not match its sha256: page {s.page_id} skipped")
            del found[s.page_id]
    return found


def page_pdfs(sources: list[PageSource], cache: Path | None = None, log=print, fetch: bool = True
              ) -> dict[str, Path]:
    """page_id -> a one-page PDF holding just the labelled page (olmOCR-bench judges single pages)."""
    import pymupdf

    cache = cache or cache_dir()
    out = cache / "quality" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    full = source_pdfs(sources, cache, log, fetch)
    pages = {}
    for s in sources:
        if s.page_id not in full:
            continue
        target = out / f"{s.page_id}-{s.sha256[:12]}.pdf"
        if not target.is_file():
            with pymupdf.open(full[s.page_id]) as src, pymupdf.open() as one:
                one.insert_pdf(src, from_page=s.page - 1, to_page=s.page - 1)
                one.save(target, garbage=3, deflate=True)
        pages[s.page_id] = target
    return pages
