"""The index's schema version, checkable without importing Whoosh.

Bump SCHEMA_VERSION whenever the Whoosh schema or what goes into it changes:
an index with another version is rebuilt from the sources.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_VERSION = 2  # 2: words over fulltext.STEM_MAX characters are indexed unstemmed


def index_looks_current(folder: Path) -> bool:
    """Whether `folder` holds an index of this schema version (corruption is only
    found by opening it)."""
    try:
        version = (folder / "schema-version").read_text().strip()
    except OSError:
        return False
    return version == str(SCHEMA_VERSION) and any(folder.glob("*.toc"))
