"""Files of public repositories at pinned commits, read out of local clones (a fetched snapshot's bare git
directory, a bare clone or a work tree): the evaluation suites' and the OCR set's one way to find a clone in a
folder of clones and to run git in it."""

from __future__ import annotations

from pathlib import Path


def repo_folder(repo: str) -> str:
    """A repository's folder name, OWNER+NAME: its clone's in a folder of clones, its files' in a suite's folder."""
    return repo.replace("/", "+")


def clone_in(folder: Path, repo: str) -> Path:
    """A repository's clone in a folder of clones: OWNER+NAME/repo (a fetched snapshot), OWNER+NAME or NAME."""
    owner_name = repo_folder(repo)
    for candidate in (folder / owner_name / "repo", folder / owner_name, folder / repo.split("/")[1]):
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"no clone of github.com/{repo} in {folder} (looked for {owner_name}/repo, {owner_name}, "
                     f"{repo.split('/')[1]}; git clone https://github.com/{repo} {folder / owner_name})")


def git(clone: Path) -> list[str]:
    """The git command line that reads ``clone``: a work tree by -C, a bare repository by --git-dir."""
    return ["git", "-C", str(clone)] if (clone / ".git").exists() else ["git", "--git-dir", str(clone)]
