"""The committed manifest: real Debian packages only (never the independent check's), every page fully
described, the scripts and layouts the issue asks for, the recipe's ranges."""

import re

import pytest

from tools.ocr_quality.build import load_manifest

# The independent check of the project: never in an evaluation set (../../../shared/ENVIRONMENT.md)
FORBIDDEN = ("texlive-publishers-doc", "debian-faq", "maint-guide", "debian-reference", "developers-reference",
             "debian-handbook", "debian-policy", "debian-history", "harden-doc", "debian-kernel-handbook")


def test_pages_come_from_allowed_packages_and_are_fully_described():
    pages = load_manifest()["pages"]
    assert len({p["id"] for p in pages}) == len(pages)
    for page in pages:
        assert page["package"] not in FORBIDDEN and not page["package"].startswith("debian-")
        assert re.fullmatch(r"[0-9a-f]{64}", page["sha256"]) and page["path"].startswith("usr/share/doc/")
        assert page["version"] and isinstance(page["page"], int) and page["columns"] in (1, 2)
        scan = page["scan"]
        assert 150 <= scan["dpi"] <= 200 and abs(scan["skew_deg"]) <= 2 and 30 <= scan["jpeg_quality"] <= 75
        assert scan["rotate"] in (0, 90, 180, 270) and scan["blur"] > 0 and scan["noise"] > 0


def test_the_set_covers_the_scripts_and_layouts_it_is_scored_on():
    pages = load_manifest()["pages"]
    scripts = {p["script"] for p in pages}
    assert {"Latin", "Cyrillic", "Greek", "Han", "Japanese", "Arabic"} <= scripts
    latin_languages = {p["language"] for p in pages if p["script"] == "Latin"}
    assert len(latin_languages) >= 5
    assert sum(p["columns"] == 2 for p in pages) >= 6
    assert sum(p["scan"]["rotate"] != 0 for p in pages) >= 3


def test_experiment_systems_parse_and_a_bad_one_says_how_to_write_it():
    from tools.ocr_quality.evaluate import parse_system

    system = parse_system("cpu-blur0=cpu:tesseract_blur=0,deskew=false")
    assert (system.name, system.engine, system.config) == ("cpu-blur0", "cpu", {"tesseract_blur": 0, "deskew": False})
    with pytest.raises(SystemExit, match="separated by ';'"):
        parse_system("x=cpu:tesseract_blur=0,cpu-blur08")
