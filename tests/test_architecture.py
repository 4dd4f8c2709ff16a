"""The layout stays true: one subpackage per stage, imports point down the flow, no cycles, small modules.

The package's imports are read with ``ast`` (function-level imports included, since a lazy import is still a
dependency), so these tests need nothing installed beyond the standard library. ARCHITECTURE.md explains the
stages; this file is the check that the code still matches it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import policytext as pt

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policytext"
# The stages in flow order; a module may import its own stage and any stage of a lower rank. Equal ranks are
# siblings (topics and classify) that never import each other. Rank 0: the top-level shared helpers.
RANKS = {"documents": 1, "corpus": 2, "text": 3, "topics": 4, "classify": 4, "scale": 5, "report": 6, "cli": 7}
TOP_LEVEL = {"__init__", "checks", "persist", "resources", "stats"}
MAX_LINES = 500
HEAVY = ("sklearn", "gensim", "matplotlib", "tomotopy", "dask")
SCRIPT_DIRS = ("corpora", "benchmarks", "models", "notebooks")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    """``policytext.corpus.files`` -> ``corpus``; a top-level module -> its own name."""
    return module.split(".")[1] if module.count(".") else "__init__"


def rank(module: str) -> int:
    return RANKS.get(stage(module), 0)


def policytext_imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of policytext code in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "policytext"]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("policytext"):
            names = [a.name for a in node.names]
            submodules = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in MODULES]
            found += [(m, [], node.lineno) for m in submodules] or [(node.module, names, node.lineno)]
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path.relative_to(ROOT)}:{node.lineno}: use absolute imports (from policytext.x import y)")
    return found


GRAPH = {name: {m for m, _, _ in policytext_imports(path) if m != name} for name, path in MODULES.items()}


def test_policytext_holds_the_stages_and_a_few_shared_modules():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert folders == set(RANKS), f"subpackages {sorted(folders)} differ from the stages {sorted(RANKS)}"
    assert modules <= TOP_LEVEL and len(modules) <= 5, f"{sorted(modules - TOP_LEVEL)} belong in a stage"


def test_imports_point_down_the_flow():
    wrong = []
    for name, targets in GRAPH.items():
        if name == "policytext":
            continue
        for target in targets:
            if target == "policytext" or stage(target) == stage(name):
                continue
            if rank(target) > rank(name) or (rank(target) == rank(name) and rank(name) > 0):
                wrong.append(f"{name} ({stage(name)}) imports {target} ({stage(target)})")
    assert not wrong, "imports that run up or sideways:\n" + "\n".join(wrong)


def test_no_import_cycles():
    # Tarjan's strongly connected components: any component with more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def test_cycle_detection_sees_a_cycle(monkeypatch):
    files = "policytext.corpus.files"
    monkeypatch.setitem(GRAPH, files, GRAPH[files] | {"policytext.corpus.gather"})  # gather imports files
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()


def test_modules_can_be_read_in_one_sitting():
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    long = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}; split them by what they hold"


def test_no_private_names_cross_modules():
    private = [f"{module_name(path)}:{line} takes {names} from {target}"
               for path in MODULES.values() for target, names, line in policytext_imports(path)
               if any(n.startswith("_") and n != "__version__" for n in names)]
    assert not private, "give these a public name in their module:\n" + "\n".join(private)


def test_every_module_says_what_it_holds():
    docs = {name: ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) for name, path in MODULES.items()}
    missing = [name for name, doc in docs.items() if not doc]
    assert not missing, f"modules without a docstring: {missing}"
    firsts: dict[str, str] = {}
    for name, doc in docs.items():
        first = doc.splitlines()[0]
        assert first not in firsts, f"{name} and {firsts[first]} open with the same sentence: {first!r}"
        firsts[first] = name


def test_public_names_resolve_to_their_modules():
    for name in pt.__all__:
        obj = getattr(pt, name)
        assert obj is not None, name
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        pt.no_such_name  # noqa: B018
    assert set(pt.__all__) <= set(dir(pt))


@pytest.mark.parametrize("code", [
    "import policytext",
    "import policytext as pt; pt.read_corpus; pt.load_corpus; pt.clean_text; pt.parse_doc_number",
    "from policytext.cli.main import build_parser; build_parser()",
], ids=["import", "reading", "cli-help"])
def test_light_entry_points_import_no_heavy_library(code):
    probe = f"{code}\nimport sys\nprint(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{code!r} imported {result.stdout.strip()}"


def test_scripts_outside_the_package_use_only_public_names():
    public = set(pt.__all__) | {"__version__"}
    wrong = []
    scripts = [p for d in SCRIPT_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    for path in scripts:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "policytext":
                if node.module != "policytext" or {a.name for a in node.names} - public:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import ...")
            elif isinstance(node, ast.Import):
                wrong += [f"{path.relative_to(ROOT)}:{node.lineno} import {a.name}"
                          for a in node.names if a.name.startswith("policytext.")]
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id in ("pt", "policytext") and node.attr not in public):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert scripts and not wrong, "scripts reach past the public API:\n" + "\n".join(wrong)
