"""A wheel built from the source holds every package and data file Accord needs.

The editable install the tests run on maps `accord.index` and `accord.tui` onto their
folders, so a package missing from pyproject.toml's list (`accord.index.claims` once was)
still imports here and the gap shows only in a real install (`pip install .`, a wheel),
which then cannot start. So this test builds the wheel, from a copy of the source so
nothing is left in the work tree, and reads its file list.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What pyproject.toml's package-dir maps: folder (relative to the root) -> package.
PACKAGE_ROOTS = {"": "accord", "index": "accord.index", "tui": "accord.tui"}
LEFT_OUT = {".git", ".venv", "tests", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis"}


def expected_packages() -> dict[str, Path]:
    """Every package of the source: each folder holding an __init__.py under index/ or
    tui/ (at any depth), and the root itself, by the dotted name it installs as."""
    found = {"accord": ROOT}
    for folder in ("index", "tui"):
        for init in sorted((ROOT / folder).rglob("__init__.py")):
            if "__pycache__" in init.parts:
                continue
            relative = init.parent.relative_to(ROOT / folder).parts
            found[".".join([PACKAGE_ROOTS[folder], *relative])] = init.parent
    return found


def expected_data() -> list[str]:
    """The files that are not Python that Accord reads at run time, as wheel paths."""
    files = [*(ROOT / "seeds").iterdir(), *(ROOT / "themes").glob("*.toml"), *(ROOT / "tui").glob("*.tcss"),
             *(p for p in (ROOT / "index").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
               and "__pycache__" not in p.parts)]
    return sorted("accord/" + p.relative_to(ROOT).as_posix() for p in files)


def wheel_of(source: Path, out: Path) -> list[str]:
    copy = out / "src"
    shutil.copytree(source, copy, ignore=lambda folder, names: [n for n in names if n in LEFT_OUT
                                                                  or n.endswith(".egg-info")])
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out / "wheel"), str(copy)],
        capture_output=True, text=True, timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (out / "wheel").glob("accord-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return wheel_of(ROOT, tmp_path_factory.mktemp("wheel"))


def test_the_source_has_the_packages_this_test_knows() -> None:
    assert {"accord", "accord.index", "accord.index.claims", "accord.tui"} <= set(expected_packages())


def test_the_wheel_holds_every_package(wheel_files: list[str]) -> None:
    """Each package's modules, not only its __init__.py: a package left out of the list
    is missing whole from the wheel."""
    installed = set(wheel_files)
    missing = {}
    for package, folder in expected_packages().items():
        prefix = "accord/" + (folder.relative_to(ROOT).as_posix() + "/" if folder != ROOT else "")
        if absent := sorted(prefix + p.name for p in folder.glob("*.py") if prefix + p.name not in installed):
            missing[package] = absent
    assert missing == {}, "pyproject.toml's packages leave these out: a wheel install cannot import them"


def test_the_wheel_holds_the_data_files(wheel_files: list[str]) -> None:
    assert [f for f in expected_data() if f not in set(wheel_files)] == []
    assert "accord/tui/app.tcss" in wheel_files and "accord/index/data/english_words.txt.gz" in wheel_files
    assert not any(f.startswith("accord/tests/") for f in wheel_files)

