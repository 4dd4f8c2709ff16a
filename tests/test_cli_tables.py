"""Tables printed without --out fit the terminal and say what was left out (issue #11)."""

from __future__ import annotations

import pandas as pd

from policytext.cli.common import display_width, table_preview
from policytext.cli.main import main


def _wide() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "text": ["数字政府建设" * 40] * 30,
                         **{f"column_{j}": range(30) for j in range(20)}})


def test_preview_fits_the_width_and_names_what_is_left_out():
    text = table_preview(_wide(), rows=5, width=80, cell=30)
    *body, footer = text.splitlines()
    assert len(body) == 6  # header + 5 rows
    assert all(display_width(line) <= 80 for line in body)
    assert "…" in body[1]  # the long text cell is cut
    assert footer.startswith("(5 of 30 rows, ") and "columns shown; left out: column_" in footer
    assert footer.endswith("write them all with --out FILE.csv)")


def test_small_table_is_printed_whole():
    table = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert table_preview(table, width=80) == table.to_string(index=False)


def test_preview_uses_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert all(display_width(line) <= 60 for line in table_preview(_wide()).splitlines()[:-1])


def test_cli_prints_a_summary_of_a_wide_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "70")
    folder = tmp_path / "docs"
    folder.mkdir()
    for year in (2019, 2020, 2021):
        (folder / f"{year}年政府工作报告.txt").write_text(f"{year}年政府工作报告\n推进大数据和数据要素市场建设。" * 3,
                                                   encoding="utf-8")
    terms = ",".join(["大数据", "数据要素", "互联网+", "数字政府", "一网通办", "电子政务", "云计算", "区块链",
                      "人工智能", "数字经济", "智慧城市", "政务服务"])
    assert main(["terms", str(folder), "--terms", terms, "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert all(display_width(line) <= 70 for line in out[:-1])
    assert "left out" in out[-1] and "--out FILE.csv" in out[-1]
