"""Shared test setup: headless Qt, no real home folder, and a private copy of the samples."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "projects"


@pytest.fixture(autouse=True)
def writer_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own WRITER_HOME, so nothing touches the user's real folders."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("WRITER_HOME", str(home))
    monkeypatch.delenv("WRITER_LIBRARY", raising=False)
    return home


@pytest.fixture
def sample_library(tmp_path: Path) -> Path:
    """A copy of the bundled sample library: tests never open ``projects/`` in place."""
    target = tmp_path / "library"
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns(".writer.lock"))
    return target
