"""Outputs are built aside and renamed in; arguments are checked before any work; K is bounded by the corpus.

Issue #12, defects 7 (a killed report leaves a mix), 11 (CLI tracebacks and exit codes), 12 (no bound on K)
and 16 (temporary Parquet files of a killed write are never removed).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from policytext.cli.main import main

TEXTS = {
    2014: "发展大数据产业，推动云计算和物联网应用。加快建设宽带网络，促进信息消费。",
    2016: "大力推行“互联网+政务服务”，实现部门间数据共享，让居民和企业少跑腿。",
    2018: "深化“放管服”改革，推进政务服务一网通办，企业和群众办事力争只进一扇门、最多跑一次。",
    2022: "加强数字政府建设，推进政务数据共享，提升一网通办水平。",
}

REPORT_SCRIPT = """
import sys, policytext as pt
from policytext.report.build import ReportConfig, build_report
texts, years = [], []
for year, text in {texts!r}.items():
    for i in range(6):
        texts.append("\\n".join([text] * 3) + f"\\n第{{i + 1}}项任务按照要求推进落实，加强统筹协调。")
        years.append(year)
corpus = pt.Corpus.from_texts(texts, year=years, level=["national", "provincial"] * (len(texts) // 2))
config = ReportConfig(ks=[2], seeds=[1], topic_params={{"min_df": 1, "max_df": 1.0, "passes": 1}}, n_boot=20,
                      min_chars=10, seed=int(sys.argv[2]), citations=False, models=("governance-mode",))
build_report(corpus, sys.argv[1], config=config, cache=False, progress=True)
"""


def _run_report(out: Path, seed: int) -> subprocess.Popen:
    script = REPORT_SCRIPT.format(texts=TEXTS)
    return subprocess.Popen([sys.executable, "-c", script, str(out), str(seed)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "MPLBACKEND": "Agg"})


def _kill_after(run: subprocess.Popen, marker: str, delay: float) -> None:
    """SIGKILL ``run`` ``delay`` seconds after it prints a progress line containing ``marker``."""
    for line in run.stdout:
        if marker in line:
            time.sleep(delay)
            break
    run.send_signal(signal.SIGKILL)
    run.wait()


def _state(out: Path) -> tuple[int | None, frozenset[tuple[str, int, int]]]:
    """(seed recorded in methods.json, each file with its modification time and size) of a report folder."""
    files = frozenset((p.relative_to(out).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                      for p in out.rglob("*") if p.is_file())
    methods = out / "methods.json"
    seed = json.loads(methods.read_text(encoding="utf-8"))["config"]["seed"] if methods.is_file() else None
    return seed, files


@pytest.mark.slow
def test_a_report_killed_at_any_point_leaves_the_old_or_the_new_report(tmp_path):
    out = tmp_path / "report"
    first = _run_report(out, seed=1)
    assert first.wait(timeout=600) == 0, first.stderr.read()
    old = _state(out)
    names = {name for name, _, _ in old[1]}
    assert old[0] == 1 and {"report.html", "methods.json"} <= names
    # Kill points spread over the run: after each stage, and at several moments inside the writing stage.
    points = [("terms done", 0.0), ("topics done", 0.0), ("classifiers done", 0.0), ("write ...", 0.0),
              ("write ...", 0.05), ("write ...", 0.2), ("write ...", 0.5), ("write done", 0.0)]
    for marker, delay in points:
        _kill_after(_run_report(out, seed=2), marker, delay)
        seed, files = _state(out)
        # Old: every file untouched. New: the new run's methods and exactly the same set of files.
        assert (seed, files) == old or (seed == 2 and {name for name, _, _ in files} == names), \
            f"killed after {marker!r} + {delay} s: a mix of old and new files (methods.json seed {seed})"
    finished = _run_report(out, seed=3)
    assert finished.wait(timeout=600) == 0, finished.stderr.read()
    seed, files = _state(out)
    assert seed == 3 and {name for name, _, _ in files} == names
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.")], "staging folders left"


def test_report_refuses_a_file_or_a_folder_of_other_files(tmp_path):
    from policytext.report.build import build_report

    file = tmp_path / "out.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="is a file"):
        build_report(tmp_path / "docs", file, progress=False)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.docx").write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="holds other files"):
        build_report(tmp_path / "docs", other, progress=False)
    assert (other / "notes.docx").read_bytes() == b"keep me"


def test_k_beyond_the_corpus_is_refused_before_fitting(tmp_path, monkeypatch):
    import policytext as pt
    from policytext.report.build import ReportConfig, build_report
    from policytext.topics import select

    def never(*args, **kwargs):
        raise AssertionError("select_k ran although K cannot be fitted")

    monkeypatch.setattr(select, "select_k", never)
    corpus = pt.Corpus.from_texts([text * 3 for text in TEXTS.values()], year=list(TEXTS))
    with pytest.raises(ValueError, match="K=2000 is more topics than the corpus can hold"):
        build_report(corpus, tmp_path / "out", config=ReportConfig(ks=[4, 2000], min_chars=10), cache=False,
                     progress=False)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------------- CLI
@pytest.mark.parametrize("argv, message", [
    (["report", "SRC", "--out", "OUT", "--k", "6..16:-1"], "--k"),
    (["report", "SRC", "--out", "FILE"], "is a file"),
    (["tokenize", "SRC", "--out", "DIR.parquet"], "is a folder"),
    (["tokenize", "SRC", "--n-jobs=-5"], "positive number of processes"),
    (["tokenize", "SRC", "--out", "tokens.xlsx"], ".parquet, .csv"),
])
def test_argument_errors_stop_before_any_work_with_status_2(tmp_path, capsys, argv, message):
    (tmp_path / "FILE").write_text("x", encoding="utf-8")
    (tmp_path / "DIR.parquet").mkdir()
    (tmp_path / "SRC").mkdir()
    argv = [str(tmp_path / a) if a in ("SRC", "OUT", "FILE", "DIR.parquet") else a for a in argv]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unexpected_errors_are_one_line_and_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    from policytext.cli import corpus as corpus_cli

    def broken(args):
        raise RuntimeError("something broke")

    monkeypatch.setattr(corpus_cli, "cmd_corpus", broken)
    (tmp_path / "a.txt").write_text("数字政府建设。", encoding="utf-8")
    assert main(["corpus", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: something broke" in err and "--debug" in err
    with pytest.raises(RuntimeError, match="something broke"):
        main(["corpus", str(tmp_path), "--debug"])


def test_k_beyond_the_corpus_from_the_cli_is_one_line(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for year, text in TEXTS.items():
        (folder / f"{year}.txt").write_text(text * 3, encoding="utf-8")
    pd.DataFrame({"path": [f"{y}.txt" for y in TEXTS], "year": list(TEXTS)}).to_csv(folder / "metadata.csv",
                                                                                   index=False)
    assert main(["report", str(folder), "--out", str(tmp_path / "out"), "--k", "2000", "--no-cache"]) == 2
    assert "more topics than the corpus can hold" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ Parquet leftovers (16)
STREAM_SCRIPT = """
import sys, pandas as pd, policytext as pt
texts = ["加强数字政府建设，推进政务数据共享，提升一网通办水平。第{}条。".format(i) for i in range(400000)]
pt.tokenize_to_parquet(pd.DataFrame({"text": texts}), sys.argv[1], pt.Tokenizer(n_jobs=1), chunk_size=2000)
"""


@pytest.mark.slow
def test_a_killed_streaming_write_leaves_nothing_behind_after_the_next_write(tmp_path):
    import policytext as pt

    out = tmp_path / "tokens.parquet"
    run = subprocess.Popen([sys.executable, "-c", STREAM_SCRIPT, str(out)], stderr=subprocess.PIPE)
    deadline = time.time() + 300
    while not list(tmp_path.glob(".tokens.parquet.*.tmp")) and time.time() < deadline and run.poll() is None:
        time.sleep(0.2)
    time.sleep(1.0)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert list(tmp_path.glob(".tokens.parquet.*.tmp")), "the writer was not caught mid-write"
    assert not out.exists()
    pt.tokenize_to_parquet(pd.DataFrame({"text": ["建设数字政府"]}), out, pt.Tokenizer(n_jobs=1))
    assert out.is_file()
    assert not list(tmp_path.glob(".tokens.parquet.*.tmp"))


def test_cites_output_is_swapped_in_and_a_failed_run_keeps_the_old_one(tmp_path, capsys, monkeypatch):
    import networkx as nx

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("国务院关于加强数字政府建设的指导意见\n国发〔2022〕14号\n根据《网络安全法》，制定本意见。",
                                  encoding="utf-8")
    out = tmp_path / "cites"
    assert main(["cites", str(folder), "--out", str(out)]) == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert "graph.graphml" in before

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_graphml", broken)
    assert main(["cites", str(folder), "--out", str(out)]) == 2
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cites.")]
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["cites", str(folder), "--out", str(other)]) == 2
    assert "holds other files" in capsys.readouterr().err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_a_file_written_aside_replaces_the_old_one_whole_or_not_at_all(tmp_path):
    from policytext.persist import write_file_aside
    from policytext.text.lexicon import add_lexicon_terms

    lexicon = tmp_path / "mine.tsv"
    add_lexicon_terms(lexicon, ["一网通办"])
    before = lexicon.read_bytes()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = tmp_path / f".mine.tsv.{int(gone.stdout)}-0a1b.tmp"  # what a killed writer left
    leftover.write_text("term\n半", encoding="utf-8")

    def fails(path: Path) -> None:
        path.write_text("term\n一", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_file_aside(lexicon, fails)
    assert lexicon.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.tsv"]  # neither its own part nor the leftover
    assert add_lexicon_terms(lexicon, ["一网通办", "数据专区"]) == ["数据专区"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.tsv"]
