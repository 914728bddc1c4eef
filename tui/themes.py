"""Themes from TOML files: the bundled ones in `themes/`, then the user's in
`<config dir>/themes/` (a user file with a bundled name replaces it)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from textual.color import ColorParseError
from textual.theme import Theme

from accord.index.config import MAX_CONFIG_BYTES, state_problem
from accord.index.regular_file import read_regular
from accord.index.workspace import config_dir

DEFAULT_THEME = "accord-dark"

# Accord's own colours. Every theme may set them under [variables]; a theme that
# does not (Textual's built-in ones, a user's minimal file) gets them derived from
# its base colours: variable -> (base colour, opacity).
DERIVED_VARIABLES = {
    "accord-cursor": ("primary", "35%"),
    "accord-cursor-foreground": ("foreground", ""),
    "accord-cursor-inactive": ("primary", "15%"),
    "accord-hit": ("warning", ""),
    "accord-hit-foreground": ("background", ""),
    "accord-title": ("accent", ""),
    "accord-claim-all": ("success", ""),
    "accord-claim-several": ("primary", ""),
    "accord-claim-single": ("warning", ""),
    "accord-conflict": ("error", ""),
    "accord-conflict-foreground": ("background", ""),
    "accord-annotation": ("secondary", "30%"),
    "accord-tag-1": ("success", "25%"),
    "accord-tag-2": ("accent", "25%"),
    "accord-tag-3": ("primary", "25%"),
    "accord-tag-4": ("error", "25%"),
    "accord-note": ("accent", ""),
}


def with_derived_variables(variables: dict[str, str]) -> dict[str, str]:
    """`variables` (Textual's resolved theme colours) plus any missing accord-* ones."""
    derived = dict(variables)
    for name, (base, opacity) in DERIVED_VARIABLES.items():
        if name not in derived:
            derived[name] = f"{variables[base]} {opacity}".strip()
    return derived


_COLOUR_FIELDS = (
    "primary", "secondary", "warning", "error", "success", "accent",
    "foreground", "background", "surface", "panel", "boost",
)


def bundled_theme_files() -> list[Path]:
    folder = Path(str(resources.files("accord").joinpath("themes")))
    return sorted(folder.glob("*.toml"))


def user_theme_dir() -> Path:
    return config_dir() / "themes"


def load_themes() -> tuple[list[Theme], list[str]]:
    """All themes, and a one-line problem for each file that could not be used."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    user_dir = user_theme_dir()
    user_files = sorted(user_dir.glob("*.toml")) if user_dir.is_dir() else []
    for path in [*bundled_theme_files(), *user_files]:
        try:  # only a regular file of bounded size: a FIFO would block the reader's start
            theme = theme_from_toml(read_regular(path, MAX_CONFIG_BYTES).data.decode("utf-8"), fallback_name=path.stem)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, ColorParseError) as error:
            problems.append(f"theme {path}: {' '.join(str(error).split())}")
            continue
        except RecursionError:
            problems.append(f"theme {path}: not readable TOML (nested too deeply)")
            continue
        themes[theme.name] = theme
    problem = state_problem()  # the theme chosen last is kept there
    if problem:
        problems.append(problem)
    return list(themes.values()), problems


def theme_from_toml(text: str, fallback_name: str) -> Theme:
    data = tomllib.loads(text)
    name = data.get("name", fallback_name)
    if not isinstance(name, str) or not name:
        raise ValueError("`name` must be a non-empty string")
    if not isinstance(data.get("primary"), str):
        raise ValueError("`primary` colour is required")
    colours = {key: data[key] for key in _COLOUR_FIELDS if key in data}
    if not all(isinstance(value, str) for value in colours.values()):
        raise ValueError("colours must be strings such as \"#1c1f24\"")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ValueError("[variables] must map names to colour strings")
    theme = Theme(name=name, dark=bool(data.get("dark", True)), variables=dict(variables), **colours)
    theme.to_color_system()  # raises ColorParseError for a colour Textual cannot parse
    return theme
