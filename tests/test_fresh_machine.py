"""The main job on a machine with nothing set up: no data home, no CJK font, an empty HOME.

``policytext report gwr-2014-2022`` must then run from the corpus embedded in the package and draw Chinese with
the bundled font. System CJK fonts are hidden from matplotlib inside the child process, so the test holds on
machines that have one (CI installs one for the notebooks).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HIDE_CJK_FONTS = """
import re, sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager as fm
cjk = re.compile(r"wqy|noto.*cjk|notosans.*(sc|cjk)|sourcehan|droidsansfallback|simhei|msyh|pingfang|uming", re.I)
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if not cjk.search(Path(f.fname).name)]
fm.findSystemFonts = lambda *args, **kwargs: []
"""


def bare_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYTEXT_", "MPL"))}
    home = tmp_path / "home"
    home.mkdir()
    env.update(HOME=str(home), MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONWARNINGS="default")
    return env


def test_bundled_font_draws_chinese_without_a_system_font(tmp_path):
    code = HIDE_CJK_FONTS + """
import warnings
warnings.simplefilter("error")  # a missing glyph is a warning: make it fail
import policytext as pt
settings = pt.use_chinese_font()
print(settings["font.family"][0])
from matplotlib.figure import Figure
with matplotlib.rc_context(settings):
    fig = Figure()
    fig.suptitle("数字政府建设：一网通办、最多跑一次、数据要素")
    fig.savefig(sys.argv[1])
"""
    out = tmp_path / "zh.png"
    result = subprocess.run([sys.executable, "-c", code, str(out)], env=bare_env(tmp_path), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "Noto Sans CJK SC" and out.stat().st_size > 0


@pytest.mark.slow
def test_the_main_job_runs_with_no_data_home_and_no_font(tmp_path):
    out = tmp_path / "out" / "report"
    code = HIDE_CJK_FONTS + "from policytext.cli.main import main\nsys.exit(main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", code, "report", "gwr-2014-2022", "--out", str(out), "--k", "4,6"],
                            env=bare_env(tmp_path), capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and len(list((out / "figures").glob("*.png"))) >= 3
    assert "Glyph" not in result.stderr, "figures miss Chinese glyphs"
    assert result.stderr.count("font") <= 1, result.stderr[-2000:]
    home = tmp_path / "home" / ".policytext"  # the default data home: only the cache (with the extracted copy)
    assert not home.exists() or {p.name for p in home.iterdir()} <= {"cache"}
