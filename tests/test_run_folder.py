"""A run folder remembers what made it and is safe against a second writer: reruns that differ stop with what
changed, --force redoes, a missing input is an error, a second run into the same folder stops at once, and
termination reaches every process of a run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared import schemas
from shared.manifest import InputCheck, InputError, upstream_fingerprint
from shared.processes import descendants
from shared.shards import FolderLock, FolderLocked, read_dataset
from stages.cli import invoke
from tests.conftest import REPO, SAMPLES, run_finepdfs

TEXT_SAMPLES = ["text/report_en.pdf", "text/bakery_fr.pdf", "text/lighthouse_a_en.pdf"]


@pytest.fixture
def pdfs(tmp_path) -> Path:
    folder = tmp_path / "pdfs"
    for rel in TEXT_SAMPLES:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / rel, folder / rel)
    return folder


def test_a_rerun_with_other_settings_or_tasks_stops_and_force_redoes(pdfs, tmp_path, capsys):
    out = tmp_path / "ingest"
    assert invoke("ingest", "-i", pdfs, "-o", out) == 0
    assert invoke("ingest", "-i", pdfs, "-o", out) == 0  # the same run resumes (nothing to do)
    assert invoke("ingest", "-i", pdfs, "-o", out, "--tasks", "3") == 2
    assert invoke("ingest", "-i", pdfs, "-o", out, "--max-pdf-bytes", "1000") == 2
    (pdfs / "text" / "extra.pdf").write_bytes((SAMPLES / "text" / "baikal_ru.pdf").read_bytes())
    assert invoke("ingest", "-i", pdfs, "-o", out) == 2
    err = capsys.readouterr().err
    assert "--tasks 1 -> 3" in err and "[ingest] max_pdf_bytes: 268435456 -> 1000" in err
    assert "the input listing changed (3 -> 4 files)" in err and "--force" in err
    assert len(read_dataset(out)) == 3  # the old output is untouched until --force

    assert invoke("ingest", "-i", pdfs, "-o", out, "--tasks", "3", "--force") == 0
    assert len(read_dataset(out)) == 4 and sorted(p.name for p in (out / "ledger").iterdir()) == [
        "00000.json", "00001.json", "00002.json"]


def test_a_missing_input_is_an_error_and_the_corrected_rerun_works(pdfs, tmp_path, capsys):
    out = tmp_path / "filter"
    assert invoke("filter", "-i", tmp_path / "nonexistent", "-o", out) == 2
    assert not (out / "ledger").exists()
    assert invoke("ingest", "-i", tmp_path / "empty-folder-that-does-not-exist", "-o", tmp_path / "i") == 2
    (tmp_path / "empty").mkdir()
    assert invoke("ingest", "-i", tmp_path / "empty", "-o", tmp_path / "i") == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "no input files" in err and "Traceback" not in err
    assert invoke("ingest", "-i", pdfs, "-o", tmp_path / "run" / "ingest") == 0
    assert invoke("classify", "-i", tmp_path / "run" / "ingest", "-o", tmp_path / "run" / "classify") == 0
    # classify routed nothing to OCR: an empty partition of a complete dataset is a valid (empty) input
    assert not (tmp_path / "run" / "classify" / "ocr").exists()
    assert invoke("ocr", "-i", tmp_path / "run" / "classify" / "ocr", "-o", tmp_path / "run" / "ocr") == 0


def test_an_incomplete_input_is_refused(pdfs, tmp_path):
    out = tmp_path / "ingest"
    assert invoke("ingest", "-i", pdfs, "-o", out, "--tasks", "2") == 0
    (out / "ledger" / "00001.json").unlink()  # as while rank 1 is being redone
    with pytest.raises(InputError, match=r"incomplete: ranks \[1\]"):
        upstream_fingerprint([str(out)])
    assert invoke("classify", "-i", out, "-o", tmp_path / "classify") == 2


def test_the_input_changing_under_a_step_stops_its_publication(pdfs, tmp_path):
    out = tmp_path / "ingest"
    assert invoke("ingest", "-i", pdfs, "-o", out) == 0
    check = InputCheck((str(out),), upstream_fingerprint([str(out)]))
    check()  # unchanged: fine
    ledger = out / "ledger" / "00000.json"
    ledger.write_text(ledger.read_text().replace('"docs_in": 3', '"docs_in": 3 '))  # another run redid it
    with pytest.raises(InputError, match="changed while this step read it"):
        check()


def test_a_second_writer_of_a_shard_or_a_run_folder_stops_at_once(pdfs, tmp_path, capsys):
    out = tmp_path / "ingest"
    with FolderLock(str(out), "00000", "ingest shard 00000"):
        assert invoke("ingest", "-i", pdfs, "-o", out) == 1  # its task cannot take the shard
        with pytest.raises(FolderLocked, match="being written by another process"):
            with FolderLock(str(out), "00000", "ingest shard 00000"):
                pass
    assert not (out / "ledger").exists()
    run = tmp_path / "run"
    with FolderLock(str(run), "run", f"the run folder {run}"):
        assert invoke("run", "-i", pdfs, "-o", run) == 2
    assert "is being written by another process" in capsys.readouterr().err
    assert not (run / "ingest").exists()


def test_changed_filter_output_redoes_dedup_intermediates_by_itself(pdfs, tmp_path):
    """dedup's MinHash steps are caches of its last step: a redone filter stage must not leave them stale."""
    run = tmp_path / "run"
    run_finepdfs("run", "-i", str(pdfs), "-o", str(run))
    signatures = run / "dedup" / "_minhash" / "signatures" / "manifest.json"
    before = signatures.read_text()
    # filter redone with other settings (--force), then dedup: its intermediate steps redo themselves, its last
    # step says what changed until it is forced too
    run_finepdfs("filter", "-i", f"{run}/extract-docling,{run}/ocr", "-o", str(run / "filter"), "--force",
                 "--languages", "en")
    result = run_finepdfs("dedup", "-i", str(run / "filter"), "-o", str(run / "dedup"), check=False)
    assert result.returncode == 2 and "its input was redone since" in result.stderr
    assert signatures.read_text() != before  # redone, not left stale
    run_finepdfs("dedup", "-i", str(run / "filter"), "-o", str(run / "dedup"), "--force")
    assert set(read_dataset(run / "dedup").column(schemas.LANGUAGE).to_pylist()) == {"eng_Latn"}


def test_sigterm_reaches_every_process_of_a_run(tmp_path):
    """SIGTERM to `finepdfs run` (only to it, not to its process group) ends the OCR page workers too."""
    pdfs = tmp_path / "pdfs"
    shutil.copytree(SAMPLES / "scanned", pdfs)
    out = tmp_path / "run"
    process = subprocess.Popen([sys.executable, "-m", "stages.cli", "run", "-i", str(pdfs), "-o", str(out)],
                               cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while not (out / "ocr" / "_logs" / "logs").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2.0)  # page workers started and busy
        tree = descendants(process.pid)
        assert tree, "the run should have started worker processes"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 10
        while any(os.path.exists(f"/proc/{pid}") and _not_zombie(pid) for pid in tree):
            assert time.monotonic() < deadline, f"still running after SIGTERM: {tree}"
            time.sleep(0.1)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def _not_zombie(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_route_reason_and_per_page_ocr_need_reach_the_final_dataset(sample_run):
    final = read_dataset(sample_run / "tokenize")
    assert {schemas.ROUTE_REASON, schemas.PAGES_NEEDING_OCR, schemas.GARBLED_RATIO} <= set(final.column_names)
    assert set(final.column(schemas.ROUTE_REASON).to_pylist()) <= {"model", "garbled_text", "forced"}
    assert None not in final.column(schemas.ROUTE_REASON).to_pylist()


def test_report_of_a_missing_run_folder_is_an_error(tmp_path, capsys):
    assert invoke("report", "--run", tmp_path / "nonexistent") == 2
    assert "no run folder" in capsys.readouterr().err
