"""The user's config file (TOML): key remapping, boilerplate rules, defaults.

Reading never raises: a bad file or entry becomes a one-line problem in
`Config.problems`, and the defaults stand, so a typo never stops the reader.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .regular_file import read_regular
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

# [claims]
# threshold = 0.25   # how alike two sentences must be to link, above 0 and at most 1
# min_sources = 2    # claims shown need at least this many outlets
"""


MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few lines; more is not one


@dataclass(slots=True)
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=lambda: list(DEFAULT_RULES))
    problems: list[str] = field(default_factory=list)
    path: Path | None = None
    claim_threshold: float | None = None  # None: the engine's default
    min_sources: int = 2
    export_dir: Path | None = None  # None: default_export_dir()


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path=path)
    if not path.exists():
        return config
    try:
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).data.decode("utf-8"))
    except OSError as error:
        config.problems.append(f"cannot read {path}: {error.strerror or error}; using the defaults")
        return config
    except UnicodeDecodeError as error:
        config.problems.append(f"cannot read {path}: not UTF-8 (byte {error.start}); using the defaults")
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(f"{path} is not valid TOML ({' '.join(str(error).split())}); using the defaults")
        return config
    except RecursionError:
        config.problems.append(f"{path} is not readable TOML (nested too deeply); using the defaults")
        return config
    _read_keys(data.get("keys", {}), config, path)
    entries = data.get("boilerplate", [])
    try:
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError("[[boilerplate]] entries need a name and a pattern")
        config.rules = [*DEFAULT_RULES, *compile_rules(entries)]
    except ValueError as error:
        config.problems.append(f"{path}: {error}; using the default rules")
    _read_claims(data.get("claims", {}), config, path)
    _read_export(data.get("export", {}), config, path)
    return config


def _read_keys(section: object, config: Config, path: Path) -> None:
    """Each remap on its own: a bad one is reported and keeps its binding's keys, the good
    ones beside it still apply."""
    if not isinstance(section, dict):
        config.problems.append(f"{path}: [keys] must map binding ids to strings of keys; ignored")
        return
    for binding, keys_text in section.items():
        if not isinstance(keys_text, str):
            config.problems.append(f"{path}: [keys] {binding} must be a string of keys such as \"j,down\"; "
                                   "that binding keeps its keys")
            continue
        bogus = [key for key in keys_text.split(",") if not is_key_name(key.strip())]
        if bogus:
            config.problems.append(
                f"{path}: [keys] {binding}: {' '.join(repr(k) for k in bogus)[:120]} is not a key name "
                "(like j, ctrl+f, shift+tab, f5, pageup, slash); that binding keeps its keys"
            )
        else:
            config.keys[binding] = keys_text


def _read_export(section: object, config: Config, path: Path) -> None:
    if not isinstance(section, dict) or not isinstance(section.get("dir", ""), str):
        config.problems.append(f"{path}: [export] dir must be a folder's path; using {default_export_dir()}")
        return
    if section.get("dir"):
        config.export_dir = Path(section["dir"]).expanduser()


def default_export_dir() -> Path:
    """Where briefings are saved unless the config says otherwise: the user's documents
    folder (never the folder Accord was started from, which may be a checkout)."""
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "Accord"


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED_KEYS = {
    "backspace", "delete", "down", "end", "enter", "escape", "home", "insert", "left", "pagedown", "pageup",
    "return", "right", "space", "tab", "up", "newline", *(f"f{n}" for n in range(1, 25)),
    # Textual's short names for some characters (its KEY_NAME_REPLACEMENTS)
    "slash", "backslash", "at", "minus", "plus", "underscore",
}


def is_key_name(key: str) -> bool:
    """Whether `key` names a key as the reader's keymap takes it: modifiers joined by `+`
    to one character, a named key (`pageup`, `f5`) or a character's Unicode name with
    underscores (`slash`, `question_mark`, `hyphen_minus`), as Textual names keys."""
    *modifiers, base = key.split("+") if key != "+" else ["+"]
    if not base or any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED_KEYS:
        return True
    for spelling in (base.replace("_", " "), base.replace("_", "-")):
        try:
            unicodedata.lookup(spelling)
            return True
        except KeyError:
            continue
    return False


def _read_claims(section: object, config: Config, path: Path) -> None:
    if not isinstance(section, dict):
        config.problems.append(f"{path}: [claims] must be a table; ignored")
        return
    threshold = section.get("threshold")
    if threshold is not None:
        if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and 0 < threshold <= 1:
            config.claim_threshold = float(threshold)
        else:
            config.problems.append(f"{path}: [claims] threshold must be a number above 0 and at most 1; using the default")
    min_sources = section.get("min_sources")
    if min_sources is not None:
        if isinstance(min_sources, int) and not isinstance(min_sources, bool) and min_sources >= 1:
            config.min_sources = min_sources
        else:
            config.problems.append(f"{path}: [claims] min_sources must be a whole number, 1 or more; using 2")


def state_path() -> Path:
    """Small app state Accord writes itself (theme choice), kept apart from the user's config."""
    return config_dir() / "state.json"


MAX_STATE_BYTES = 1024 * 1024  # a theme's name and a few more settings; more is not Accord's


def _read_state() -> tuple[dict[str, object], str | None]:
    """state.json's settings and, when it exists but cannot be used, why (one line).
    Only a regular file of bounded size is opened: a FIFO would block the reader."""
    path = state_path()
    try:
        data = json.loads(read_regular(path, MAX_STATE_BYTES).data.decode("utf-8"))
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, f"{path}: {error.strerror or error}; the remembered theme is not used"
    except RecursionError:
        return {}, f"{path} is not readable JSON (nested too deeply); the remembered theme is not used"
    except ValueError:  # not JSON, not UTF-8
        return {}, f"{path} is not readable JSON; the remembered theme is not used"
    if not isinstance(data, dict):
        return {}, f"{path} is not a JSON object; the remembered theme is not used"
    return data, None


def load_state() -> dict[str, object]:
    return _read_state()[0]


def state_problem() -> str | None:
    """Why state.json cannot be used, or None (missing is fine: nothing remembered yet)."""
    return _read_state()[1]


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
