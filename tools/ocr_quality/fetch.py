"""Real born-digital PDFs from Debian packages, fetched on demand into a cache outside the repository.

``apt-get download PKG=VERSION`` then ``dpkg-deb -x`` into ``CACHE/ocr_quality/pkgs/PKG_VERSION/``; every PDF the
manifest names is checked against its sha256, so a different build of a package is noticed, not scored.
The cache is ``$FINEPDFS_EVAL_CACHE`` or ``~/.cache/finepdfs-eval``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

SUBDIR = "ocr_quality"


class FetchError(RuntimeError):
    """A package could not be downloaded or unpacked, or a PDF is not the one the manifest names."""


def cache_root() -> Path:
    return Path(os.environ.get("FINEPDFS_EVAL_CACHE") or Path.home() / ".cache" / "finepdfs-eval") / SUBDIR


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_dir(package: str, version: str, root: Path | None = None) -> Path:
    return (root or cache_root()) / "pkgs" / f"{package}_{version}"


def ensure_package(package: str, version: str, root: Path | None = None) -> Path:
    """The unpacked package folder, downloading and unpacking it the first time."""
    root = root or cache_root()
    target = package_dir(package, version, root)
    done = target / ".unpacked"
    if done.is_file():
        return target
    debs = root / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    deb = next(iter(sorted(debs.glob(f"{package}_{version}_*.deb"))), None)
    if deb is None:
        if shutil.which("apt-get") is None:
            raise FetchError(f"{package}={version}: no apt-get here (a Debian machine is needed to fetch it)")
        done_ = subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=debs, capture_output=True,
                               text=True, check=False)
        deb = next(iter(sorted(debs.glob(f"{package}_{version}_*.deb"))), None)
        if done_.returncode != 0 or deb is None:
            raise FetchError(f"apt-get download {package}={version} failed: {done_.stderr.strip()[-400:]} "
                             "(is the version still in the mirror? apt-get update may help)")
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    unpacked = subprocess.run(["dpkg-deb", "-x", str(deb), str(staging)], capture_output=True, text=True,
                              check=False)
    if unpacked.returncode != 0:
        raise FetchError(f"dpkg-deb -x {deb.name} failed: {unpacked.stderr.strip()[-400:]}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    done.write_text(deb.name + "\n")
    return target


def unpacked_pdf(path: Path) -> Path:
    """``path`` itself, or for a gzipped PDF (``x.pdf.gz``, as Debian ships some documentation) its
    decompressed copy beside it (``x.pdf``)."""
    if path.suffix != ".gz":
        return path
    target = path.with_suffix("")
    if not target.is_file():
        partial = target.with_name(target.name + ".partial")
        with gzip.open(path, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst)
        partial.rename(target)
    return target


def fetch_pdf(package: str, version: str, path: str, sha256: str, root: Path | None = None) -> Path:
    """The PDF at ``path`` inside the package (decompressed when it is ``.pdf.gz``), checked against
    ``sha256`` (of the PDF itself)."""
    packed = ensure_package(package, version, root) / path
    if not packed.is_file():
        raise FetchError(f"{package}={version} has no {path}")
    pdf = unpacked_pdf(packed)
    actual = sha256_file(pdf)
    if actual != sha256:
        raise FetchError(f"{package}={version}:{path} has sha256 {actual}, the manifest says {sha256}")
    return pdf
