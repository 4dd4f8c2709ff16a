"""Shared fixtures: the real corpora in the data home, and small texts written for these tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policytext.corpus.locations import data_home

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The shared corpora sit beside the repository (../shared/corpora) on developer machines and in CI. When the data
# home is not set, the tests look there, so the README's test command needs no environment of its own.
SHARED_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "corpora"
if not os.environ.get("POLICYTEXT_DATA") and (SHARED_BESIDE / "metadata.csv").is_file():
    os.environ["POLICYTEXT_DATA"] = str(SHARED_BESIDE)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The folder of shared corpora, found through the data-home setting (POLICYTEXT_DATA).

    Under CI=true a missing folder fails the test run instead of skipping: the integration tests are the
    evidence that the library works on real texts.
    """
    home = data_home()
    if not (home / "metadata.csv").is_file():
        message = (
            f"shared corpora not found in the data home {home}: set POLICYTEXT_DATA to the folder that holds "
            "metadata.csv (CI uses ../shared/corpora)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return home


def pytest_report_header(config) -> str:
    import policytext

    return f"policytext {policytext.__version__} imported from {Path(policytext.__file__).parent}"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests cache into a temporary folder, never into the data home (which CI shares read-mostly)."""
    previous = os.environ.get("POLICYTEXT_CACHE")
    os.environ["POLICYTEXT_CACHE"] = str(tmp_path_factory.mktemp("policytext-cache"))
    yield
    if previous is None:
        os.environ.pop("POLICYTEXT_CACHE", None)
    else:
        os.environ["POLICYTEXT_CACHE"] = previous
