"""Shared fixtures: the repository's datasets and the `clout` binary the CLI comparisons run."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATASETS = ROOT / "datasets"


@pytest.fixture(scope="session")
def wiki_vote_path():
    path = DATASETS / "wiki-vote" / "Wiki-Vote.txt"
    assert path.exists(), f"{path} ships with the repository"
    return path


@pytest.fixture(scope="session")
def karate_path():
    path = DATASETS / "karate" / "karate.edges"
    assert path.exists(), f"{path} ships with the repository"
    return path


@pytest.fixture(scope="session")
def cli():
    """Runs the `clout` binary (CLOUT_BIN, else target/release/clout, else target/debug/clout)
    and returns its stdout; fails the test when the binary is missing or the run fails."""
    candidates = [os.environ.get("CLOUT_BIN"), ROOT / "target" / "release" / "clout",
                  ROOT / "target" / "debug" / "clout"]
    binary = next((pathlib.Path(c) for c in candidates if c and pathlib.Path(c).exists()), None)
    assert binary is not None, "build the CLI first (cargo build --release --bin clout)"

    def run(*args):
        done = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run
