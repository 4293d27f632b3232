"""The RolmOCR path against a STAND-IN server (tools/standin_openai.py, not a model): requests, retries,
per-page failures, and resume after a server that died mid-run. The real vLLM path: tests/test_ocr_vllm.py."""

import pytest

from shared import schemas
from shared.config import stage_settings
from stages.ocr.conftest import run_ocr, stage_output
from stages.ocr.render import RenderSpec, init_render_worker, render_work
from stages.ocr.request import PROMPT, RolmOcrSettings, build_request, repetition_problem
from stages.ocr.stage import render_spec
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import check_page_ends, split_pages
from tools.ocr.fixtures import routed_row, scanned_pdf, write_routed_shard
from tools.standin_openai import StandInServer, image_key

pytestmark = pytest.mark.slow  # worker processes and a stage run per test

SMALL = RenderSpec(longest_side=336)
# three documents: A (2 pages), B (1 page), C (3 pages); each page's text is distinct, so is its image
DOCS = {
    "a.pdf": ["Alpha one: the ferry timetable.", "Alpha two: winter sailings."],
    "b.pdf": ["Bravo one: a single page letter."],
    "c.pdf": ["Charlie one: minutes.", "Charlie two: accounts.", "Charlie three: any other business."],
}


def test_request_is_rolmocr_prompt_image_and_sampling():
    settings = stage_settings("ocr", overrides={"max_tokens": 1234})
    request = build_request("QUJD", settings.pick(RolmOcrSettings, spec=render_spec(settings), prefetch_pages=1))
    content = request["messages"][0]["content"]
    assert content[0] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUJD"}}
    assert content[1] == {"type": "text", "text": PROMPT}
    assert (request["temperature"], request["repetition_penalty"], request["max_tokens"]) == (0.0, 1.05, 1234)


def test_repetition_check_flags_loops_not_ordinary_text():
    assert repetition_problem("Intro. " + "and then " * 40)
    assert repetition_problem("Header\n" + "| 0 | 0 | 0 |\n" * 40)
    assert repetition_problem("a" * 300)
    ordinary = "\n".join(f"{i}. Item number {i} costs {i * 3} pounds." for i in range(60))
    assert repetition_problem(ordinary) is None
    assert repetition_problem("short ok ok ok ok") is None


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
            b64 = render_work(state, ("ocr", str(path), i))
            keys[(name, i)] = image_key(f"data:image/png;base64,{b64}")
    write_routed_shard(rows, tmp_path / "in")
    return tmp_path / "in", keys


def ocr_args(routed_in, out, server, config, concurrency=4):
    return ["--input", str(routed_in), "--output", str(out), "--engine", "rolmocr", "--endpoint", server.url,
            "--model", "stand-in", "--concurrency", str(concurrency), "--config", config]


@pytest.fixture
def config(write_config):
    return write_config(longest_side=336, retries=2, backoff_s=0.05, request_timeout_s=2.0,
                        server_ready_timeout_s=10, render_workers=1)


def test_500s_are_retried_until_the_page_is_read(routed, tmp_path, config):
    routed_in, keys = routed
    a0 = keys[("a.pdf", 0)]
    with StandInServer(script={a0: ["500", "500", "ok"]}) as server:
        assert run_ocr(*ocr_args(routed_in, tmp_path / "out", server, config)) == 0
    out = stage_output(tmp_path / "out")
    row = out["rows"]["a.pdf"]
    assert row[schemas.FAILED_PAGES] == [] and row[schemas.EXTRACTOR] == "rolmocr"
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
