"""Where the built-in rule packs and lexicons live.

In a wheel, the top-level `rules/` folder is shipped as `healthlint/rules/`; in a
source checkout (editable install) it is the `rules/` folder beside the package.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    installed = _PACKAGE / "rules"
    return installed if installed.is_dir() else _PACKAGE.parent / "rules"


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict:
    path = rules_dir() / "lexicons" / f"{name}.yml"
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for key, value in data.items():  # YAML reads unquoted no/false as booleans: catch that here
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ValueError(f"{path}: every item of '{key}' must be a quoted string")
    return data
