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


def test_version_and_every_option_has_help(capsys):
    import re

    from policytext.cli.main import build_parser

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.startswith("policytext ")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]  # argparse keeps the subcommands here
    for name, sub in commands.choices.items():
        assert name in {a.dest for a in commands._choices_actions}, f"{name} has no help line"
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"policytext {name} {action.option_strings[0]} has no help text"
    assert re.search(r"report\s+the whole analysis", parser.format_help())


def test_empty_or_unknown_sources_fail_with_one_line(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    for command in (["corpus"], ["tokenize"], ["topics", "--out", str(tmp_path / "topics")]):
        assert main([*command, str(tmp_path / "empty")]) == 2
        errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("policytext")]
        assert len(errors) == 1 and "no documents could be read" in errors[0] and "holds no supported files" in errors[0]
    assert main(["corpus", "gwr-2015"]) == 2
    err = capsys.readouterr().err
    assert "no registered corpus of that name" in err and "gwr-2014-2022" in err


def test_train_names_the_option_of_a_missing_column(tmp_path, capsys):
    table = tmp_path / "labels.csv"
    table.write_text("a,b\n推进一网通办,A\n", encoding="utf-8")
    assert main(["train", str(table), "--label-col", "b", "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "--text-col 'text' is not a column of" in err and "['a', 'b']" in err
