"""The notebooks run top to bottom in a fresh kernel against the shared corpora and use only the public API.

A notebook's source is a Jupytext percent script in ``notebooks/src/``; ``notebooks/build_notebooks.py`` turns it
into the ``.ipynb`` beside it, with saved outputs. The run test executes the source (read with jupytext) headless
with nbclient (kernel ``python3`` from ipykernel) in a temporary copy of the folder, so the saved notebooks are never
touched. The data home is passed to the kernel as an absolute path: CI sets ``POLICYTEXT_DATA=../shared/corpora``
relative to the repository root, and the kernel starts elsewhere. Static checks need no kernel: the sources import
nothing from policytext but its re-exported names, every ``pt.<name>`` they use is public, and they hold no absolute
path of a developer machine; each saved ``.ipynb`` has clean, complete outputs and the code of its source.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import policytext as pt

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted((NOTEBOOK_DIR / "src").glob("[0-9][0-9]_*.py"))
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_quickstart", "02_policy_timeline_2014_2022", "03_case_findings", "04_retrain_on_your_documents",
            "05_long_view_1954_2025", "06_diffusion"]
# Submodules a notebook may import or reach as pt.<module>: none, everything comes from `import policytext as pt`.
ALLOWED_MODULES: set[str] = set()
CELL_TIMEOUT = 600
ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(work|home|Users|tmp|mnt|srv)/|\b[A-Za-z]:\\")
REBUILD = "run `python notebooks/build_notebooks.py`"


def saved_code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def policytext_uses(source: str) -> tuple[set[str], set[str]]:
    """Submodules imported from policytext, and names used as ``pt.<name>`` or imported from policytext."""
    modules, names = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("policytext."):
            modules.add(node.module.split(".", 1)[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "policytext":
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            modules |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("policytext.")}
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "pt":
            names.add(node.attr)
    return modules, names


def _missing(message: str) -> None:
    """Skip, or fail under CI, where the notebooks must be checked and run."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _jupytext():
    try:
        import jupytext
    except ImportError as error:
        _missing(f"reading the notebook sources needs jupytext (the notebooks extra): {error}")
    return jupytext


def _nbclient():
    """nbclient and a python3 kernel, or a skip (a failure under CI, where the notebooks must run)."""
    try:
        import nbformat  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager
        from nbclient import NotebookClient  # noqa: F401
    except ImportError as error:
        _missing(f"executing notebooks needs the notebooks extra (nbclient, nbformat, ipykernel): {error}")
    if "python3" not in KernelSpecManager().find_kernel_specs():
        _missing("no 'python3' Jupyter kernel: install ipykernel into this environment")


def test_every_notebook_is_present():
    assert [p.stem for p in SOURCES] == EXPECTED, (
        f"notebooks/src/ should hold a source NN_name.py for each of {EXPECTED}; found {[p.name for p in SOURCES]}")
    assert [p.stem for p in NOTEBOOKS] == EXPECTED, (
        f"notebooks/ should hold {EXPECTED}; found {[p.stem for p in NOTEBOOKS]}. Rebuild them: {REBUILD}")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path: Path):
    public = set(pt.__all__) | {"__version__"} | ALLOWED_MODULES
    modules, names = policytext_uses(path.read_text(encoding="utf-8"))
    assert modules <= ALLOWED_MODULES, (
        f"{path.name} imports policytext submodules {sorted(modules - ALLOWED_MODULES)}; use the names "
        "re-exported by `import policytext as pt` (or ask for a re-export in policytext/__init__.py)"
    )
    assert names <= public, (
        f"{path.name} uses pt.{sorted(names - public)}, which policytext.__all__ does not export; "
        "add them to policytext/__init__.py or use a public name"
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notebook_has_no_absolute_paths(path: Path):
    found = [line for line in path.read_text(encoding="utf-8").splitlines() if ABSOLUTE_PATH.search(line)]
    assert not found, (
        f"{path.name} has absolute paths: {found[:3]}; find texts through pt.load_corpus(name) or "
        "pt.data_home() / '...'"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_outputs_are_complete_and_clean(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    unrun = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
    assert not unrun, f"{path.name}: code cells {unrun} have no saved outputs; {REBUILD}"
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"], f"{path.name} was saved with an error output"
    shown = [o.get("text", "") for o in outputs] + [o.get("data", {}).get("text/plain", "") for o in outputs]
    text = json.dumps(shown, ensure_ascii=False)
    assert not ABSOLUTE_PATH.search(text), f"{path.name}: a saved output shows an absolute path; print names, not paths"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_notebook_matches_its_source(path: Path):
    source = NOTEBOOK_DIR / "src" / f"{path.stem}.py"
    assert source.is_file(), f"{path.name} has no source {source.name} in notebooks/src/"
    expected = [c.source for c in _jupytext().read(source).cells if c.cell_type == "code"]
    assert saved_code_cells(path) == expected, (
        f"{path.name} is stale: its code cells differ from notebooks/src/{source.name}; {REBUILD}")


def test_absolute_path_pattern():
    assert ABSOLUTE_PATH.search('pt.read_corpus("/work/shared/corpora/policy")')
    assert not ABSOLUTE_PATH.search('pt.data_home() / "policy" / "gwr-national"')
    assert policytext_uses("import policytext.plots\nfrom policytext.topics import TopicModel\npt.kwic(c, 'x')") == (
        {"plots", "topics"}, {"kwic"})
    assert policytext_uses("from policytext import plots") == (set(), {"plots"})


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, shared_corpora: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    jupytext = _jupytext()
    _nbclient()
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    work = tmp_path / "notebooks"  # the kernel starts in a copy of the folder, as the build starts it in the folder
    shutil.copytree(NOTEBOOK_DIR, work, ignore=shutil.ignore_patterns("*.html", ".ipynb_checkpoints", "__pycache__"))
    monkeypatch.setenv("POLICYTEXT_DATA", str(shared_corpora.resolve()))
    nb = jupytext.read(path)  # the source, not the saved .ipynb: what runs here is what the build runs
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}})
    try:
        client.execute()
    except CellExecutionError as error:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # IPython colours the traceback
        pytest.fail(f"{path.name} failed:\n{plain[-4000:]}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{path.name} produced errors: {[e.ename for e in errors]}"
