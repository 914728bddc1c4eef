"""Shared fixtures: the bundled seeds, and a workspace and config dir private to each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.index.ingest import bundled_seeds, load
from accord.index.library import Library
from accord.index.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's workspace or config."""
    home = tmp_path / "home"
    monkeypatch.setenv("ACCORD_HOME", str(home / "workspace"))
    monkeypatch.setenv("ACCORD_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config-xdg"))
    return home


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return bundled_seeds()


@pytest.fixture(scope="session")
def seed_articles(seeds_dir: Path):
    """The five seed articles keyed by their file name's number: '000' ... '004'."""
    return {Path(a.path).name[:3]: a for a in load([seeds_dir])}


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def library(workspace: Workspace):
    with Library(workspace) as lib:
        yield lib


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
