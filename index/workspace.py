"""Where Accord keeps its files: the workspace (index, annotations) and the config."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import AccordError

APP_NAME = "accord"


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike[str] | None = None) -> "Workspace":
        """`--workspace DIR` wins, then $ACCORD_HOME, then the platform's user data dir."""
        chosen = explicit or os.environ.get("ACCORD_HOME") or platformdirs.user_data_path(APP_NAME)
        return cls(Path(chosen).expanduser().absolute())

    def ensure(self) -> "Workspace":
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AccordError(f"cannot create the workspace {self.root}: {error.strerror or error}") from None
        return self

    @property
    def index_dir(self) -> Path:
        """The rebuildable cache: Whoosh index and article catalog."""
        return self.root / "index"

    @property
    def whoosh_dir(self) -> Path:
        return self.index_dir / "whoosh"

    @property
    def catalog_path(self) -> Path:
        return self.index_dir / "catalog.sqlite"

    @property
    def sources_path(self) -> Path:
        """The files and folders synced into the workspace, so a damaged index is
        rebuilt from them (outside index/, which may be deleted to force a rebuild)."""
        return self.root / "sources.json"

    @property
    def annotations_path(self) -> Path:
        """The analyst's work: never inside the rebuildable index folder."""
        return self.root / "annotations.sqlite"


def config_dir() -> Path:
    """$ACCORD_CONFIG_DIR, else the platform's user config dir (XDG on Linux)."""
    override = os.environ.get("ACCORD_CONFIG_DIR")
    return Path(override).expanduser() if override else platformdirs.user_config_path(APP_NAME)


def config_path() -> Path:
    return config_dir() / "config.toml"
