"""An upload with more rows than KPR_IMPORT_JOB_ROWS runs as a background job with progress: the request
returns at once, the job page reports progress, and the result is all or nothing like the inline import."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from tests.account_helpers import csrf_from, prepare


def _csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["项目名称,区县,状态"]
    for i in range(rows):
        lines.append(f"批量项目{i:03d},{'火星区' if i == bad_row else '小店区'},在建")
    return "\n".join(lines).encode("utf-8-sig")


def _wait(client, location: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(600):
        state = client.get(location + ".json").get_json()
        if state["state"] != "running":
            return state  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError("job did not finish")


@pytest.mark.slow
def test_large_upload_runs_as_a_job_with_progress(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path, import_job_rows=20)
    client = site.client("editor")
    token = csrf_from(client.get("/import").get_data(as_text=True))
    resp = client.post("/import", data={"file": (io.BytesIO(_csv(60, bad_row=30)), "大表.csv"), "action": "apply",
                                        "csrf_token": token}, content_type="multipart/form-data")
    assert resp.status_code == 302 and "/import/jobs/" in resp.headers["Location"]
    state = _wait(client, resp.headers["Location"])
    assert state["state"] == "done" and state["done"] == 60 and state["total"] == 60
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "火星区" in page  # the problem is reported with its value
    assert client.get("/projects.json?q=批量项目").get_json()["count"] == 0  # all or nothing

    resp = client.post("/import", data={"file": (io.BytesIO(_csv(60)), "大表.csv"), "action": "apply",
                                        "csrf_token": token}, content_type="multipart/form-data")
    assert _wait(client, resp.headers["Location"])["state"] == "done"
    listed = client.get("/projects.json?q=批量项目").get_json()
    assert listed["count"] == 60
    entries = client.get(f"/projects/{listed['projects'][0]['code']}/history.json").get_json()["history"]
    assert [(e["kind"], e["user"], e["file_name"]) for e in entries] == [("import", "editor", "大表.csv")]
    assert site.client("viewer").get(resp.headers["Location"] + ".json").status_code == 403
