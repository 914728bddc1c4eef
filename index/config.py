"""The user's config file (TOML): key remapping, boilerplate rules, defaults.

Reading never raises: a bad file or entry becomes a one-line problem in
`Config.problems`, and the defaults stand, so a typo never stops the reader.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .rules import DEFAULT_RULES, Rule, compile_rules
from .workspace import config_dir, config_path

EXAMPLE = """\
# Accord configuration. Every section is optional.

[keys]
# binding id = "keys" (comma-separated); `?` in the reader lists every binding id.
# next_sentence = "j,down"

# [[boilerplate]]
# name = "newsletter"
# pattern = "get our .* newsletter.*"
"""


@dataclass(slots=True)
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=lambda: list(DEFAULT_RULES))
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path=path)
    if not path.exists():
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        config.problems.append(f"cannot read {path}: {error}")
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(f"{path} is not valid TOML ({error}); using the defaults")
        return config
    keys = data.get("keys", {})
    if isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        config.keys = dict(keys)
    else:
        config.problems.append(f"{path}: [keys] must map binding ids to strings of keys; ignored")
    entries = data.get("boilerplate", [])
    try:
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError("[[boilerplate]] entries need a name and a pattern")
        config.rules = [*DEFAULT_RULES, *compile_rules(entries)]
    except ValueError as error:
        config.problems.append(f"{path}: {error}; using the default rules")
    return config


def state_path() -> Path:
    """Small app state Accord writes itself (theme choice), kept apart from the user's config."""
    return config_dir() / "state.json"


def load_state() -> dict[str, object]:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: object) -> None:
    state = {**load_state(), **changes}
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # losing a remembered theme is not worth interrupting the analyst
