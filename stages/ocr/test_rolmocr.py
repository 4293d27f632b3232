"""The RolmOCR path against a STAND-IN server (tools/standin_openai.py, not a model): requests, retries,
per-page failures, and resume after a server that died mid-run. The real vLLM path: tests/test_ocr_vllm.py."""

from pathlib import Path

import pytest

from shared import schemas
from shared.config import stage_settings
from stages.ocr.conftest import run_ocr, stage_output
from stages.ocr.render import RenderSpec, init_render_worker, render_work
from stages.ocr.request import (
    RepetitionLimits,
    RolmOcrSettings,
    build_request,
    judge_answer,
    repetition_problem,
    vlm_settings,
)
from stages.ocr.stage import render_spec
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import check_page_ends, split_pages
from tools.ocr.fixtures import routed_row, scanned_pdf, write_routed_shard
from tools.standin_openai import StandInServer, image_key

pytestmark = pytest.mark.slow  # worker processes and a stage run per test

SMALL = RenderSpec(longest_side=336, blank_max_ink=0)  # every page's image, the blank ones too (their keys)
# three documents: A (2 pages), B (1 page), C (3 pages); each page's text is distinct, so is its image
DOCS = {
    "a.pdf": ["Alpha one: the ferry timetable.", "Alpha two: winter sailings."],
    "b.pdf": ["Bravo one: a single page letter."],
    "c.pdf": ["Charlie one: minutes.", "Charlie two: accounts.", "Charlie three: any other business."],
}


def rolm_settings(**overrides) -> RolmOcrSettings:
    settings = stage_settings("ocr", overrides=overrides)
    return vlm_settings(settings, render_spec(settings))


def test_request_is_rolmocr_prompt_image_and_sampling():
    request = build_request("QUJD", rolm_settings(max_tokens=1234))
    content = request["messages"][0]["content"]
    assert content[0] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUJD"}}
    assert content[1]["type"] == "text" and content[1]["text"].startswith("Return the plain text representation")
    assert (request["temperature"], request["repetition_penalty"], request["max_tokens"]) == (0.0, 1.05, 1234)
    assert "top_p" not in request


def test_repetition_check_has_finepdfs_thresholds():
    limits = RepetitionLimits()
    assert (limits.lines, limits.sentences, limits.chars) == (3, 5, 350)
    line = "The minutes of the meeting were read."
    assert repetition_problem(f"{line}\n" * 4).startswith("repetition:line")  # a line + 3 copies
    assert repetition_problem(f"{line}\n" * 3) is None
    assert repetition_problem("Header\n" + "| 0 | 0 | 0 |\n" * 10).startswith("repetition:line")  # table rows: 9 copies
    assert repetition_problem("Header\n" + "| 0 | 0 | 0 |\n" * 9) is None
    assert repetition_problem("ok\n" * 12) is None and repetition_problem("ok\n" * 13)  # short lines: 12 copies
    sentence = " The committee agreed to meet again at the library next spring."  # 64 characters
    assert repetition_problem("Intro." + sentence * 6).startswith("repetition:sentence")  # + 5 copies
    assert repetition_problem("Intro." + sentence * 5) is None
    assert repetition_problem("x" + "-" * 351).startswith("repetition:char")
    assert repetition_problem("x" + "-" * 350 + "x") is None
    assert repetition_problem("Intro. " + "and then " * 40).startswith("repetition:loop")  # a loop within a line
    ordinary = "\n".join(f"{i}. Item number {i} costs {i * 3} pounds." for i in range(60))
    assert repetition_problem(ordinary) is None
    assert repetition_problem("short ok ok ok ok") is None


def test_answers_are_judged_for_truncation_repetition_hallucination_and_format():
    settings = rolm_settings()
    assert judge_answer("A short letter.", "stop", 2000, settings) == ("A short letter.", None)
    assert judge_answer("A short letter.", "length", 2000, settings)[1].startswith("truncated")
    assert judge_answer("row\n" * 20, "stop", 10**6, settings)[1].startswith("repetition")
    # 13 non-space characters need 26 ink pixels at 2 per character
    assert judge_answer("A short letter.", "stop", 25, settings)[1].startswith("hallucination")
    assert judge_answer("A short letter.", "stop", None, settings)[1] is None  # no image measure: no check
    olmocr = rolm_settings(answer_format="olmocr")
    front = "---\nprimary_language: en\nis_rotation_valid: True\nrotation_correction: 0\nis_table: False\n" \
            "is_diagram: False\n---\n"
    assert judge_answer(front + "Dear Sir,\nThank you.", "stop", 2000, olmocr) == ("Dear Sir,\nThank you.", None)
    assert judge_answer(front.rstrip("\n"), "stop", 0, olmocr) == ("", None)  # a blank page: front matter alone
    assert judge_answer("Dear Sir,", "stop", 2000, olmocr)[1].startswith("unparsable")


@pytest.fixture
def routed(tmp_path):
    """The routed shard and each page's image key (what the stand-in sees), in input order."""
    rows, keys = [], {}
    state = init_render_worker(SMALL)
    for name, pages in DOCS.items():
        pdf = scanned_pdf(pages, dpi=72)
        path = tmp_path / name
        path.write_bytes(pdf)
        rows.append(routed_row(pdf, name))
        for i in range(len(pages)):
            b64 = render_work(state, ("ocr", str(path), i)).png_b64
            keys[(name, i)] = image_key(f"data:image/png;base64,{b64}")
    write_routed_shard(rows, tmp_path / "in")
    return tmp_path / "in", keys


def ocr_args(routed_in, out, server, config, concurrency=4):
    return ["--input", str(routed_in), "--output", str(out), "--engine", "rolmocr", "--endpoint", server.url,
            "--model", "stand-in", "--concurrency", str(concurrency), "--config", config]


@pytest.fixture
def config(write_config):
    """Per-page failures are what these tests look at: no failed-page budget, no degenerate retries."""
    return write_config(longest_side=336, retries=2, backoff_s=0.05, request_timeout_s=2.0,
                        server_ready_timeout_s=10, render_workers=1, max_failed_page_ratio=1.0,
                        degenerate_retry_temperatures=[])


def test_500s_are_retried_until_the_page_is_read(routed, tmp_path, config):
    routed_in, keys = routed
    a0 = keys[("a.pdf", 0)]
    with StandInServer(script={a0: ["500", "500", "ok"]}) as server:
        assert run_ocr(*ocr_args(routed_in, tmp_path / "out", server, config)) == 0
    out = stage_output(tmp_path / "out")
    row = out["rows"]["a.pdf"]
    assert row[schemas.FAILED_PAGES] == [] and row[schemas.EXTRACTOR] == "rolmocr"
    assert row[schemas.PAGE_READ_BY] == ["rolmocr", "rolmocr"]  # scans: no text layer for the safety net
    assert split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])[0].strip() == f"page {a0}"
    assert [b for k, b in server.requests if k == a0] == ["500", "500", "ok"]
    assert out["ledger"]["docs_out"] == 3 and out["ledger"]["balanced"]


def test_timeouts_and_degenerate_answers_fail_only_their_page(routed, tmp_path, config):
    routed_in, keys = routed
    script = {
        keys[("a.pdf", 1)]: ["hang", "hang", "hang"],  # every attempt times out: the page fails
        keys[("b.pdf", 0)]: ["loop"],  # B's only page loops: B has no page left -> error row
        keys[("c.pdf", 1)]: ["truncated"],
    }
    with StandInServer(script=script, hang_s=4) as server:
        assert run_ocr(*ocr_args(routed_in, tmp_path / "out", server, config)) == 0
    out = stage_output(tmp_path / "out")
    a, c = out["rows"]["a.pdf"], out["rows"]["c.pdf"]
    assert a[schemas.FAILED_PAGES] == [1] and c[schemas.FAILED_PAGES] == [1]
    for row, failed in ((a, 1), (c, 1)):
        check_page_ends(row[schemas.TEXT], row[schemas.PAGE_ENDS])
        pages = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])
        assert pages[failed] == FAILED_PAGE_MARKER or pages[failed] == FAILED_PAGE_MARKER + "\n\n"
        assert all(p.strip().startswith("page ") for i, p in enumerate(pages) if i != failed)
    assert [e[schemas.ERROR_CLASS] for e in out["errors"].values()] == ["AllPagesFailed"]
    assert [b for k, b in server.requests if k == keys[("b.pdf", 0)]] == ["loop"]  # not retried
    assert out["ledger"]["docs_in"] == 3 and out["ledger"]["docs_failed"] == 1 and out["ledger"]["balanced"]


def test_a_server_dying_mid_run_fails_the_task_and_resume_redoes_only_unanswered_pages(routed, tmp_path, config):
    routed_in, keys = routed
    out = tmp_path / "out"
    # one request at a time: A0 A1 B0 C0 are answered, then the server is gone
    with StandInServer(die_after=4) as first:
        assert run_ocr(*ocr_args(routed_in, out, first, config, concurrency=1)) != 0
    assert stage_output(out)["ledger"] is None  # no half-written shard
    answered_before = set(first.answered)
    assert len(answered_before) == 4

    with StandInServer() as second:
        assert run_ocr(*ocr_args(routed_in, out, second, config, concurrency=1)) == 0
    asked_again = {k for k, _ in second.requests}
    assert asked_again == set(keys.values()) - answered_before  # finished documents and pages are not redone
    result = stage_output(out)
    assert list(result["rows"]) == ["a.pdf", "b.pdf", "c.pdf"]  # input order
    for name, pages in DOCS.items():
        row = result["rows"][name]
        assert row[schemas.FAILED_PAGES] == [] and row[schemas.NUM_PAGES] == len(pages)
        texts = [p.strip() for p in split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])]
        assert texts == [f"page {keys[(name, i)]}" for i in range(len(pages))]
    assert result["ledger"]["docs_out"] == 3 and result["ledger"]["balanced"]
    assert not list((out / "_ocr_work" / "results").glob("*.jsonl"))  # work files go with the published shard


REPEATING = "say:" + "The minutes of the meeting were read.\n" * 6
INVENTED = "say:" + " ".join(f"word{i}" for i in range(1500))  # a page of text from a page with a few words


def test_hygiene_blank_pages_repetition_hallucination_and_the_failed_page_budget(tmp_path, write_config):
    docs = {
        "blank.pdf": ["Cover: the ferry timetable.", ""],  # page 1 is blank: never asked
        "retry.pdf": ["A letter that loops at first."],  # loops at temperature 0, read at the first retry
        "budget.pdf": ["Page one is fine.", "Page two repeats.", "Page three: a few words."],  # 2 of 3 pages fail: over the budget
    }
    rows, keys, state = [], {}, init_render_worker(SMALL)
    for name, pages in docs.items():
        pdf = scanned_pdf(pages, dpi=72)
        (tmp_path / name).write_bytes(pdf)
        rows.append(routed_row(pdf, name))
        for i in range(len(pages)):
            image = render_work(state, ("ocr", str(tmp_path / name), i))
            keys[(name, i)] = image_key(f"data:image/png;base64,{image.png_b64}")
    write_routed_shard(rows, tmp_path / "in")
    script = {keys[("retry.pdf", 0)]: [REPEATING, "ok"],
              keys[("budget.pdf", 1)]: [REPEATING] * 3, keys[("budget.pdf", 2)]: [INVENTED] * 3}
    config = write_config(longest_side=336, retries=1, backoff_s=0.05, request_timeout_s=5.0,
                          server_ready_timeout_s=10, render_workers=1)  # the defaults' budget and retries
    with StandInServer(script=script) as server:
        assert run_ocr(*ocr_args(tmp_path / "in", tmp_path / "out", server, config)) == 0
    out = stage_output(tmp_path / "out")

    assert keys[("blank.pdf", 1)] not in {k for k, _ in server.requests}  # no request spent on the blank page
    blank = out["rows"]["blank.pdf"]
    assert blank[schemas.FAILED_PAGES] == [] and blank[schemas.NUM_PAGES] == 2
    assert [p.strip() for p in split_pages(blank[schemas.TEXT], blank[schemas.PAGE_ENDS])] == \
        [f"page {keys[('blank.pdf', 0)]}", ""]

    retry = out["rows"]["retry.pdf"]
    assert retry[schemas.FAILED_PAGES] == [] and retry[schemas.TEXT].strip() == f"page {keys[('retry.pdf', 0)]}"
    assert [t for k, t in server.temperatures if k == keys[("retry.pdf", 0)]] == [0.0, 0.2]

    assert "budget.pdf" not in out["rows"]  # a partial document is not passed off as whole
    (error,) = out["errors"].values()
    assert error[schemas.ERROR_CLASS] == "TooManyFailedPages"
    assert "2 of 3 pages failed" in error[schemas.ERROR_MESSAGE] and "repetition" in error[schemas.ERROR_MESSAGE] \
        and "hallucination" in error[schemas.ERROR_MESSAGE]
    for page in (1, 2):  # asked at the default temperatures 0, 0.2 and 0.5, then failed
        assert [t for k, t in server.temperatures if k == keys[("budget.pdf", page)]] == [0.0, 0.2, 0.5]
    assert out["ledger"]["docs_in"] == 3 and out["ledger"]["docs_out"] == 2 and out["ledger"]["docs_failed"] == 1
    assert out["ledger"]["balanced"]


FORM = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "text" / "pdfjs__160F-2019.pdf"


def test_a_page_with_a_usable_text_layer_keeps_it_over_a_short_or_failed_answer(tmp_path, config):
    """The per-page safety net on the VLM path: a real tax form (pdf.js test file, 76 form fields over a clean text
    layer) routed to OCR; the STAND-IN server answers "page <key>" (a few letters) or loops: the page keeps its own
    text layer, and page_read_by says so."""
    if not FORM.is_file():
        pytest.skip(f"{FORM} is absent (the development corpus lives in ../shared/corpus)")
    form = FORM.read_bytes()
    write_routed_shard([routed_row(form, "short.pdf", doc_id="short"), routed_row(form, "loops.pdf", doc_id="loops"),
                        routed_row(scanned_pdf(["A scanned letter."], dpi=72), "scan.pdf")], tmp_path / "in")
    (tmp_path / "loops.pdf").write_bytes(form)
    state = init_render_worker(SMALL)
    loops = image_key(f"data:image/png;base64,{render_work(state, ('ocr', str(tmp_path / 'loops.pdf'), 0)).png_b64}")
    with StandInServer(script={loops: [REPEATING]}) as server:
        assert run_ocr(*ocr_args(tmp_path / "in", tmp_path / "out", server, config)) == 0
    out = stage_output(tmp_path / "out")
    assert len({k for k, _ in server.requests}) == 2  # the two forms are one image: one key, the scan another
    for name in ("short.pdf", "loops.pdf"):
        row = out["rows"][name]
        assert row[schemas.PAGE_READ_BY] == [schemas.PAGE_FROM_TEXT_LAYER] and row[schemas.FAILED_PAGES] == []
        assert "rémunérations" in row[schemas.TEXT] and len(row[schemas.TEXT]) > 1000
    assert out["rows"]["scan.pdf"][schemas.PAGE_READ_BY] == ["rolmocr"]
    assert out["ledger"]["docs_out"] == 3 and out["ledger"]["balanced"]
