"""The policytext command, run in-process through its main()."""

from __future__ import annotations

import pandas as pd
import pytest

from policytext.cli.main import main


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a_2016.txt").write_text("推进“互联网+政务服务”。发展大数据。", encoding="utf-8")
    (tmp_path / "b_2020.txt").write_text("培育数据要素市场。大数据，大数据。", encoding="utf-8")
    (tmp_path / "c.xyz").write_text("?", encoding="utf-8")
    return tmp_path


def test_help_everywhere(capsys):
    for command in ([], ["corpus"], ["tokenize"], ["terms"], ["fetch"], ["info"]):
        with pytest.raises(SystemExit) as exit_info:
            main([*command, "--help"])
        assert exit_info.value.code == 0
    assert "usage: policytext" in capsys.readouterr().out


def test_corpus_summary_lists_skipped_and_writes(folder, tmp_path, capsys):
    out = tmp_path / "out" / "docs.parquet"
    assert main(["corpus", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "documents per year" in printed and "2016" in printed
    assert "c.xyz: unsupported file type" in printed
    assert pd.read_parquet(out)["year"].tolist() == [2016, 2020]


def test_terms_and_tokenize(folder, tmp_path, capsys):
    out = tmp_path / "terms.csv"
    assert main(["terms", str(folder), "--terms", "大数据,数据要素", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table.set_index("year")["大数据"].to_dict() == {2016: 1, 2020: 2}
    tokens = tmp_path / "tokens.jsonl"
    assert main(["tokenize", str(folder), "--unit", "document", "--out", str(tokens)]) == 0
    assert "互联网+政务服务" in pd.read_json(tokens, lines=True)["tokens"][0].split()


def test_errors_are_reported_not_raised(tmp_path, capsys):
    assert main(["corpus", str(tmp_path / "missing")]) == 2
    assert "error: no such file or folder" in capsys.readouterr().err
    assert main(["terms", str(tmp_path)]) == 2  # a usage error: status 2 and one line, as argparse's own
    assert "give terms with --terms" in capsys.readouterr().err


def test_info_runs(capsys):
    assert main(["info"]) == 0
    assert "gwr-2014-2022" in capsys.readouterr().out
