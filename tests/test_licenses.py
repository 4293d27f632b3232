"""The licence is stated once and true: LICENSE, pyproject and the image labels agree, and every installed
distribution is in the generated third-party list (a new dependency cannot slip in unlisted)."""

import re
import tomllib

import pytest

from tests.conftest import REPO

PROJECT_LICENSE = "AGPL-3.0-or-later"  # PyMuPDF (AGPL-3.0) is imported in-process by every PDF-reading stage


def test_license_file_pyproject_and_image_labels_agree():
    assert (REPO / "LICENSE").read_text().startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3")
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == PROJECT_LICENSE
    for dockerfile in (REPO / "images").glob("*/Dockerfile"):
        labels = re.findall(r'org\.opencontainers\.image\.licenses="([^"]+)"', dockerfile.read_text())
        assert labels == [PROJECT_LICENSE], dockerfile


def test_every_installed_distribution_is_in_the_third_party_list():
    from scripts import third_party_licenses as licenses
    try:
        licenses.pip_licenses()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    assert licenses.missing() == [], "run `just licenses` and commit THIRD_PARTY_LICENSES.md"
