"""The package carries its data: lexicon, stopwords, codebooks, issuer table, corpus manifests, the embedded
official documents, models."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import policytext
from policytext.resources import package_data, resource_dir

REPO = Path(__file__).resolve().parents[1]
RUNTIME_FILES = [
    "policytext/data/lexicon/digital_government.tsv",
    "policytext/data/stopwords/zh.txt",
    "policytext/data/stopwords/en.txt",
    "policytext/data/stopwords/policy.txt",
    "policytext/data/issuers.csv",
    "policytext/data/codebooks/governance-mode.yaml",
    "policytext/_corpora/registry.json",
    "policytext/_corpora/gwr-2014-2022.csv",
    "policytext/_corpora/policy.csv",
    "policytext/_corpora/case-papers.csv",
    "policytext/_corpora/embedded/official.tar.xz",
    "policytext/_corpora/embedded/official.json",
]


def test_runtime_data_is_found_where_policytext_is_installed():
    assert (resource_dir("corpora") / "registry.json").is_file()
    assert resource_dir("models").is_dir()
    assert package_data("lexicon", "digital_government.tsv").is_file()
    installed = REPO not in Path(policytext.__file__).resolve().parents
    if installed:  # a plain `pip install .`: the repository folders were copied into the package
        assert resource_dir("corpora") == Path(policytext.__file__).resolve().parent / "_corpora"


def test_a_fresh_process_imports_and_tokenizes():
    code = "import policytext as pt; print(pt.Tokenizer().tokenize('推进一网通办'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert "一网通办" in out.stdout
    assert "Building prefix dict" not in out.stderr


@pytest.mark.slow
def test_wheel_contains_the_runtime_data(tmp_path):
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(REPO)], check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("policytext-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in RUNTIME_FILES if f not in names]
    assert missing == []
