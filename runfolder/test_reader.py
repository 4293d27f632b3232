"""The run-folder reader: the settings a stage ran with come from the run, not from this process's config."""

from __future__ import annotations

from runfolder.reader import final_folder, router_threshold, settings_ran
from stages.cli import invoke
from tools.pdf_fixtures import make_pdf


def test_the_threshold_shown_is_the_one_classify_ran_with(tmp_path, monkeypatch):
    """Set by the environment for the classify run only: the report (another process, another environment)
    still shows it, because it reads classify's manifest."""
    source = tmp_path / "pdfs"
    source.mkdir()
    (source / "a.pdf").write_bytes(make_pdf(["text"]))
    run = tmp_path / "run"
    assert invoke("ingest", "-i", str(source), "-o", str(run / "ingest")) == 0
    assert router_threshold(str(run)) is None  # classify has not run here
    monkeypatch.setenv("FINEPDFS_CLASSIFY_THRESHOLD", "0.55")
    assert invoke("classify", "-i", str(run / "ingest"), "-o", str(run / "classify"), "--seed", "7") == 0
    monkeypatch.delenv("FINEPDFS_CLASSIFY_THRESHOLD")
    assert router_threshold(str(run)) == 0.55
    assert settings_ran(str(run), "classify")["seed"] == 7  # a flag, too
    assert final_folder(str(run)) == f"{run}/tokenize"
