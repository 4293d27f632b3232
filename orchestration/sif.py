"""`just sif`: Apptainer SIF images from the stage images, one per stage of shared/registry.py.

    python -m orchestration.sif [--source docker-daemon|docker-archive] [--sif-dir sif] [--dry-run] [IMAGE...]

The build command comes from spython's builder (``Client.build``), recorded instead of run, with ``apptainer``
in place of ``singularity``; that exact command is then run (and printed). Sources:
- ``docker-daemon``: the stage images in the local Docker engine (``just build``), e.g. finepdfs/ocr:0.1.0;
- ``docker-archive``: ``docker save`` tarballs in --archive-dir (made here when Docker is present), for building
  on a machine without Docker (copy the tarballs there).
Without an ``apptainer`` binary it prints the commands and exits 3 with a message (nothing is built).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.plan import load_config
from shared import registry

SOURCES = ("docker-daemon", "docker-archive")


def stage_images() -> list[str]:
    """Image names of the stages, in pipeline order (one image per stage: its steps share it)."""
    return [stage.image for stage in registry.STAGES]


def docker_image(config: dict, image: str) -> str:
    docker = config["runtimes"]["docker"]
    return docker.get("image", "finepdfs/{image}:{version}").format(image=image, version=docker["version"])


def source_uri(config: dict, image: str, source: str, archive_dir: str) -> str:
    if source == "docker-daemon":
        return f"docker-daemon://{docker_image(config, image)}"
    if source == "docker-archive":
        return f"docker-archive://{os.path.abspath(os.path.join(archive_dir, image + '.tar'))}"
    raise ValueError(f"unknown source {source!r}: choose {' or '.join(SOURCES)}")


def build_argv(sif: str, source: str, executable: str = "apptainer") -> list[str]:
    """spython's ``build`` command line, captured rather than executed; run as ``executable``."""
    from spython.main import get_client

    client = get_client(quiet=True)
    recorded: list[list[str]] = []
    client._run_command = lambda cmd, **_: recorded.append(list(cmd))
    client.build(recipe=source, image=sif, sudo=False, force=True, quiet=True)
    (argv,) = recorded
    return [executable, *[a for a in argv[1:] if a != "--quiet"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="just sif", description=__doc__.split("\n\n")[0])
    parser.add_argument("images", nargs="*", help="images to build (default: every stage image)")
    parser.add_argument("--source", choices=SOURCES, default="docker-daemon")
    parser.add_argument("--archive-dir", default="build/images", help="docker-archive tarballs (IMAGE.tar)")
    parser.add_argument("--sif-dir", help="where SIFs go (default: runtimes.apptainer.sif_dir)")
    parser.add_argument("--cluster-config", action="append", default=[], help="more cluster config (TOML)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)

    config = load_config(args.cluster_config)
    settings = config["runtimes"]["apptainer"]
    executable = settings.get("executable", "apptainer")
    sif_dir = Path(args.sif_dir or settings.get("sif_dir", "sif"))
    images = args.images or stage_images()
    have_apptainer = shutil.which(executable) is not None
    have_docker = shutil.which(config["runtimes"]["docker"]["executable"]) is not None
    commands: list[list[str]] = []
    for image in images:
        if args.source == "docker-archive":
            tarball = os.path.join(args.archive_dir, f"{image}.tar")
            if not os.path.exists(tarball) and have_docker:
                commands.append(["docker", "save", "-o", tarball, docker_image(config, image)])
        sif = str(sif_dir / f"{image}.sif")
        commands.append(build_argv(sif, source_uri(config, image, args.source, args.archive_dir), executable))
    for command in commands:
        print(shlex.join(command))
    if args.dry_run:
        return 0
    if not have_apptainer:
        print(f"just sif: `{executable}` is not installed here, so no SIF was built. Run the commands above on a "
              "machine with Apptainer (and the stage images: `just build`, or their docker-archive tarballs), "
              f"then copy {sif_dir}/ to a filesystem the cluster nodes share (runtimes.apptainer.sif_dir).",
              file=sys.stderr)
        return 3
    sif_dir.mkdir(parents=True, exist_ok=True)
    Path(args.archive_dir).mkdir(parents=True, exist_ok=True)
    for command in commands:
        if subprocess.run(command).returncode != 0:
            print(f"just sif: failed: {shlex.join(command)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
