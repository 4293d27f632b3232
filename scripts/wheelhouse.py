"""Prepare the wheelhouse the images install from: build/wheelhouse/<set>/ with the wheels and a pinned
requirements.txt for each image ("base" = the core dependencies, then one set per stage image).

Why on the host: pip inside a build cannot reach PyPI here (TLS is re-signed by a CA that containers do not
trust), and a plain `torch` requirement would pull a multi-GB CUDA build. The host resolves once, with the dev
venv's versions as constraints (the images run what the tests ran) and torch pinned to its CPU build.

A set is re-resolved only when its inputs change (stamp file), and its folder is replaced only when its wheels
change, so an image's install layer stays cached until its own dependencies move.

    python -m scripts.wheelhouse [SET ...]     default: base and every stage image
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "finepdfs-stages"
TORCH = "torch==2.13.0"
TORCH_CPU_INDEX = os.environ.get("FINEPDFS_TORCH_INDEX", "https://download.pytorch.org/whl/cpu")

from shared import registry  # noqa: E402 - the stages and their extras: one image per stage

# Image -> the pyproject extras it installs on top of the core dependencies (the base image's set).
IMAGE_EXTRAS: dict[str, list[str]] = {stage.image: [stage.pyproject_extra] for stage in registry.STAGES}


def log(message: str) -> None:
    print(f"wheelhouse: {message}", file=sys.stderr, flush=True)


def expand_extras(optional: dict[str, list[str]], extras: list[str]) -> list[str]:
    """An extra's requirements, with self-references (finepdfs-stages[ocr]) expanded."""
    out: list[str] = []
    for extra in extras:
        for req in optional.get(extra, []):
            match = re.fullmatch(rf"{PROJECT}\[([^\]]+)\]", req.replace(" ", ""))
            out += expand_extras(optional, match.group(1).split(",")) if match else [req]
    return out


def requirement_sets(pyproject: Path) -> dict[str, list[str]]:
    project = tomllib.loads(pyproject.read_text())["project"]
    core = list(project["dependencies"])
    sets = {"base": core}
    for image, extras in IMAGE_EXTRAS.items():
        sets[image] = core + expand_extras(project.get("optional-dependencies", {}), extras)
    return sets


def needs_torch(requirements: list[str]) -> bool:
    return any(re.match(r"torch\b", r) for r in requirements) or any("docling" in r for r in requirements)


def venv_constraints(python: Path) -> list[str]:
    """`pip freeze` of the dev venv (minus the project itself): the images get the versions the tests ran."""
    if not python.exists():
        return []
    frozen = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=False
    ).stdout
    return sorted(
        line for line in frozen.splitlines()
        if "==" in line and not line.lower().startswith((PROJECT, "finepdfs_stages"))
    )


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def cpu_torch(pool: Path) -> Path:
    """The CPU build of torch in the pool: a local +cpu wheel if pip finds one, else PyTorch's CPU index."""
    found = sorted(pool.glob("torch-2.13.0+cpu-*.whl"))
    if found:
        return found[0]
    pip("download", "-q", "--no-deps", "-d", str(pool), TORCH)
    found = sorted(pool.glob("torch-2.13.0+cpu-*.whl"))
    if not found:
        for stray in pool.glob("torch-2.13.0-*.whl"):
            stray.unlink()
        pip("download", "-q", "--no-deps", "-d", str(pool), "--index-url", TORCH_CPU_INDEX, TORCH)
        found = sorted(pool.glob("torch-2.13.0+cpu-*.whl"))
    if not found:
        raise SystemExit("wheelhouse: could not get a CPU build of torch 2.13.0")
    return found[0]


def wheel_pin(path: Path) -> str:
    name, version = path.name.split("-")[:2]
    return f"{name.replace('_', '-').lower()}=={version}"


def same_folder(a: Path, b: Path) -> bool:
    if not a.is_dir() or not b.is_dir():
        return False
    names = sorted(p.name for p in a.iterdir() if p.name != ".stamp")
    if names != sorted(p.name for p in b.iterdir() if p.name != ".stamp"):
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def build_set(name: str, requirements: list[str], constraints: list[str], out: Path, pool: Path) -> None:
    dest = out / name
    stamp_text = "\n".join([sys.version, *requirements, "--", *constraints])
    stamp = hashlib.sha256(stamp_text.encode()).hexdigest()[:16]
    if (dest / ".stamp").is_file() and (dest / ".stamp").read_text().strip() == stamp:
        log(f"{name}: up to date")
        return
    log(f"{name}: resolving {len(requirements)} requirements")
    staging = out / f".{name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    constraint_file = out / f".{name}.constraints.txt"
    pins = [c for c in constraints if not c.lower().startswith("torch==")]
    if needs_torch(requirements):
        pins.append(wheel_pin(cpu_torch(pool)))
    constraint_file.write_text("\n".join(pins) + "\n")
    pip("wheel", "-q", "--wheel-dir", str(staging), "--find-links", str(pool), "--prefer-binary",
        "-c", str(constraint_file), *requirements)
    for wheel in staging.glob("*.whl"):  # keep one copy of each wheel on disk: the pool, hard-linked
        pooled = pool / wheel.name
        if not pooled.exists():
            shutil.copy2(wheel, pooled)
        wheel.unlink()
        os.link(pooled, wheel)
    wheels = sorted(staging.glob("*.whl"))
    torch_wheels = [w for w in wheels if w.name.startswith("torch-")]
    if any("+cpu" not in w.name for w in torch_wheels) or any(w.name.startswith("nvidia_") for w in wheels):
        raise SystemExit(f"wheelhouse: {name} resolved a CUDA torch: {[w.name for w in torch_wheels]}")
    (staging / "requirements.txt").write_text("\n".join(wheel_pin(w) for w in wheels) + "\n")
    constraint_file.unlink()
    if same_folder(staging, dest):
        shutil.rmtree(staging)  # unchanged wheels: keep the old folder, so the image layer stays cached
    else:
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    (dest / ".stamp").write_text(stamp + "\n")
    total = sum(w.stat().st_size for w in dest.glob("*.whl"))
    log(f"{name}: {len(wheels)} wheels, {total / 2**20:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help="base and/or stage images (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "wheelhouse")
    parser.add_argument("--constraints-from", type=Path, default=ROOT / ".venv" / "bin" / "python",
                        help="a Python whose installed versions pin the images' (default: the dev venv)")
    args = parser.parse_args()
    sets = requirement_sets(ROOT / "pyproject.toml")
    unknown = set(args.sets) - set(sets)
    if unknown:
        raise SystemExit(f"wheelhouse: unknown set(s) {sorted(unknown)}; known: {sorted(sets)}")
    pool = args.out / "pool"
    pool.mkdir(parents=True, exist_ok=True)
    constraints = venv_constraints(args.constraints_from)
    for name in args.sets or list(sets):
        build_set(name, sets[name], constraints, args.out, pool)


if __name__ == "__main__":
    main()
