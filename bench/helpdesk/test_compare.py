"""The side-by-side table: ratios, the goal verdict, and appending (never rewriting) the results file."""

from __future__ import annotations

import json
from pathlib import Path

from bench.helpdesk import compare


def _side(tmp: Path, name: str, size: int, times: dict[str, tuple[float, float]]) -> Path:
    extra = {"units": 31, "open_at_end": 46_000} if name == "xinfang" else {"queues": 31}
    data = {
        "side": name, "db": "SQLite 3.40.1", "load": [1.0, 1.5], "machine": "2 cores", "seeding": [f"{size:,} in 1 s"],
        "results": [{"size": size, "name": n, "n": 20, "p50": p50, "p95": p95, "max": p95, "queries": 1, "note": ""}
                    for n, (p50, p95) in times.items()],
        **extra,
    }
    path = tmp / f"{name}-{size}.json"
    path.write_text(json.dumps(data))
    return path


def _run(tmp: Path, list_hd: tuple[float, float], report_hd: tuple[float, float]) -> str:
    xf = _side(tmp, "xinfang", 100_000, {
        "queue / (city reviewer)": (40.0, 50.0), "report: /indicators/dispatch/": (100.0, 120.0),
        "intake POST /api/v1/matters ×200": (10.0, 12.0)})
    hd = _side(tmp, "helpdesk", 100_000, {
        "list: /tickets/ + its rows request (25)": list_hd, "report: /reports/queuestatus/": report_hd,
        "create: POST /tickets/submit/ ×200": (5.0, 5.0)})
    results = tmp / "RESULTS.md"
    results.write_text("# Benchmark results\n\nsomeone else's section\n")
    assert compare.main(["--results", str(results), "--pair", str(xf), str(hd)]) == 0
    return results.read_text()


def test_goal_met_only_when_both_percentiles_are_ten_times_faster(tmp_path: Path) -> None:
    text = _run(tmp_path, list_hd=(400.0, 500.0), report_hd=(1000.0, 1199.0))
    assert text.startswith("# Benchmark results\n\nsomeone else's section\n")  # appended, not rewritten
    assert "queue / list page at 100,000 on SQLite 3.40.1: 10.0× p50, 10.0× p95 → **met**" in text
    # 1199 / 120 is 9.99×: one percentile short is a miss.
    assert "per-unit × state report, page at 100,000 on SQLite 3.40.1: 10.0× p50, 9.9× p95 → **missed**" in text
    assert "| create | intake POST /api/v1/matters ×200 (n=20) | 10.0 | 12.0 |" in text
    assert "| 0.5× | 0.4× |" in text  # django-helpdesk faster at creating: the ratio says so, below 1


def test_goal_missed_when_the_list_is_not_ten_times_faster(tmp_path: Path) -> None:
    text = _run(tmp_path, list_hd=(300.0, 600.0), report_hd=(5000.0, 6000.0))
    assert "queue / list page at 100,000 on SQLite 3.40.1: 7.5× p50, 12.0× p95 → **missed**" in text
    assert "per-unit × state report, page at 100,000 on SQLite 3.40.1: 50.0× p50, 50.0× p95 → **met**" in text
