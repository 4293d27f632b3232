"""The completion marker is written in one move, and every stage's marker reads back as its ledger."""

from collections import Counter

from datatrove.io import get_datafolder

from shared.ledger import LEDGER_DIR, ShardLedger, ledger_filename, read_stage_ledgers, write_marker


def test_marker_written_whole_and_read_back(tmp_path):
    folder = get_datafolder(str(tmp_path))
    ledger = ShardLedger("filter", 3, docs_in=5, docs_out=3, dropped=Counter(too_short=1), failed=Counter(Oops=1))
    write_marker(folder, 3, ledger.to_dict())
    assert sorted(p.name for p in (tmp_path / LEDGER_DIR).iterdir()) == [ledger_filename(3).split("/")[1]]
    (read_back,) = read_stage_ledgers(tmp_path)
    assert read_back.to_dict() == ledger.to_dict() and read_back.balanced


def test_marker_replaces_an_earlier_one(tmp_path):
    folder = get_datafolder(str(tmp_path))
    write_marker(folder, 0, ShardLedger("dedup", 0, docs_in=1, docs_out=1).to_dict())
    write_marker(folder, 0, ShardLedger("dedup", 0, docs_in=2, docs_out=2).to_dict())
    (read_back,) = read_stage_ledgers(tmp_path)
    assert read_back.docs_in == 2
