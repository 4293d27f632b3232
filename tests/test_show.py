"""`finepdfs show OUT ID_OR_PATH` on the sample run: every input's fate, stage by stage, and its text."""

from shared import schemas
from shared.shards import read_dataset
from tests.conftest import run_finepdfs


def show(run, target: str) -> str:
    return run_finepdfs("show", str(run), target, check=False).stdout


def stage_lines(text: str) -> dict[str, str]:
    return {line.split()[0]: line.split(None, 1)[1] for line in text.splitlines()[1:] if line.startswith("  ")}


def test_a_kept_document_is_followed_through_every_stage_with_its_text(sample_run):
    out = show(sample_run, "text/report_en.pdf")
    lines = stage_lines(out)
    assert list(lines) == ["ingest", "classify", "extract-docling", "filter", "dedup", "tokenize"]
    assert all(line.startswith("kept") for line in lines.values())
    assert "route=docling" in lines["classify"] and "kept -> eng_Latn" in lines["tokenize"]
    final = {r[schemas.FILE_PATH]: r for r in read_dataset(sample_run / "tokenize").to_pylist()}
    assert final["text/report_en.pdf"][schemas.TEXT].split("\n")[0] in out
    assert "text (tokenize, 5 pages" in out
    assert stage_lines(show(sample_run, final["text/report_en.pdf"][schemas.ID][:12])) == lines  # by id prefix


def test_a_duplicate_a_broken_file_and_a_near_duplicate_say_why(sample_run):
    assert stage_lines(show(sample_run, "single_page_en_copy.pdf")) == {"ingest": (
        "DROPPED: duplicate_pdf_bytes (the same PDF bytes (sha256) came earlier); kept=text/single_page_en.pdf, "
        f"sha256={read_dataset(sample_run / 'ingest' / 'drops').to_pylist()[0][schemas.ID]}")}
    assert stage_lines(show(sample_run, "broken/encrypted.pdf"))["classify"].startswith("FAILED: EncryptedPdf")
    assert stage_lines(show(sample_run, "broken/empty.pdf")) == {
        "ingest": "FAILED: EmptyFile (the file has zero bytes): the file has zero bytes"}
    dedup = [line for line in show(sample_run, "lighthouse_b_en.pdf").splitlines() if line.startswith("  dedup")]
    assert dedup and "DROPPED: minhash_duplicate" in dedup[0] and "minhash_cluster_size=2" in dedup[0]


def test_an_unknown_input_says_so():
    result = run_finepdfs("show", ".", "no-such-file.pdf", check=False)
    assert result.returncode == 1 and "not found in this run" in result.stdout
