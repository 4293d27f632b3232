"""A whole `finepdfs run` with its input and output on S3 URIs, against moto's server mode: a local S3-compatible
STAND-IN (the server s3fs's own tests use; no AWS here), started by scripts/services.d/s3.sh. The run must give the
rows of the local sample run, and a second run must write nothing."""

import json
import os
import subprocess
import uuid

import pytest

from shared import schemas
from shared.shards import read_dataset
from tests.conftest import REPO, SAMPLES, run_finepdfs, skip_or_fail

pytestmark = [pytest.mark.slow]
PORT = os.environ.get("FINEPDFS_S3_PORT", "5317")
ENDPOINT = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def s3_env() -> dict[str, str]:
    started = subprocess.run(["bash", str(REPO / "scripts/services.d/s3.sh"), "start"], capture_output=True,
                             text=True, timeout=600, env={**os.environ, "FINEPDFS_S3_PORT": PORT})
    if started.returncode != 0:
        skip_or_fail(f"no local S3 server (moto) could be started: {started.stderr.strip()[-400:]}")
    return {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_S3": ENDPOINT, "FSSPEC_S3_ENDPOINT_URL": ENDPOINT}


def s3(env):
    import s3fs

    return s3fs.S3FileSystem(key=env["AWS_ACCESS_KEY_ID"], secret=env["AWS_SECRET_ACCESS_KEY"],
                             client_kwargs={"endpoint_url": ENDPOINT})


def objects(fs, prefix: str) -> dict[str, tuple]:
    fs.invalidate_cache()
    return {k: (v.get("ETag"), str(v.get("LastModified")), v.get("size")) for k, v in
            fs.find(prefix, detail=True).items()}


def test_a_run_on_s3_matches_the_local_run_and_resumes_writing_nothing(s3_env, sample_run, tmp_path):
    fs = s3(s3_env)
    bucket = f"finepdfs-{uuid.uuid4().hex[:12]}"
    fs.mkdir(bucket)
    fs.put(str(SAMPLES), f"{bucket}/in", recursive=True)
    env = {**os.environ, **s3_env}
    first = run_finepdfs("run", "--input", f"s3://{bucket}/in", "--output", f"s3://{bucket}/out", env=env,
                         timeout=1800)
    assert "done in" in first.stderr

    # the same final rows as the local run, and the run folder's bookkeeping where it belongs
    local = {r[schemas.ID]: r for r in read_dataset(sample_run / "tokenize").to_pylist()}
    fs.get(f"{bucket}/out/tokenize", str(tmp_path / "tokenize"), recursive=True)
    remote = {r[schemas.ID]: r for r in read_dataset(tmp_path / "tokenize").to_pylist()}
    assert sorted(remote) == sorted(local)
    assert all(remote[i][schemas.TEXT] == local[i][schemas.TEXT] for i in local)
    assert fs.isfile(f"{bucket}/out/stats/report.html") and fs.isfile(f"{bucket}/out/tokenize/__stage/ledger/00000.json")
    stats = json.loads(fs.cat(f"{bucket}/out/stats/stats.json"))
    assert all(t["balanced"] for t in stats["ledger"].values())
    # classify's routed PDFs hold a reference to ingest's bytes, relative, on S3 too
    fs.get(f"{bucket}/out/classify/docling/00000.parquet", str(tmp_path / "routed.parquet"))
    import pyarrow.parquet as pq

    media = pq.read_table(tmp_path / "routed.parquet", columns=[schemas.MEDIA]).column(0).to_pylist()
    assert all(m[0]["media_bytes"] is None and m[0]["path"].startswith("../../ingest/") for m in media)

    before = objects(fs, f"{bucket}/out")
    second = run_finepdfs("run", "--input", f"s3://{bucket}/in", "--output", f"s3://{bucket}/out", env=env,
                          timeout=1800)
    assert second.stderr.count("already complete, skipped") == 8, second.stderr
    assert objects(fs, f"{bucket}/out") == before  # resume: not one object written, changed or removed

    # the S3 run folder is what `show` and `release` read
    assert "kept -> eng_Latn" in run_finepdfs("show", f"s3://{bucket}/out", "text/report_en.pdf", env=env).stdout
    run_finepdfs("release", f"s3://{bucket}/out", f"s3://{bucket}/release", env=env)
    assert fs.isfile(f"{bucket}/release/README.md") and fs.find(f"{bucket}/release/data/eng_Latn/train")
