"""Per-language knowledge, kept as YAML data files under ``cronaca/lang/<code>/``.

Code never branches on the language: a stage asks the ``LanguageData`` for the file it needs
(``lang.data("events")``), so adding a language means adding a folder of data files.
Language-neutral facts (ISO codes, people, international bodies) live in ``cronaca/lang/*.yaml``.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANG_DIR = Path(__file__).parent


class UnsupportedLanguage(ValueError):
    pass


def supported_languages() -> list[str]:
    return sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and (p / "cues.yaml").exists())


@cache
def shared_data(name: str) -> Any:
    """A language-neutral data file, e.g. ``shared_data("actors")``."""
    return _read(LANG_DIR / f"{name}.yaml")


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class LanguageData:
    def __init__(self, code: str) -> None:
        path = LANG_DIR / code
        if not path.is_dir():
            raise UnsupportedLanguage(
                f"language {code!r} is not supported (supported: {', '.join(supported_languages())})")
        self.code = code
        self.path = path
        self._cache: dict[str, Any] = {}

    def data(self, name: str) -> Any:
        """The parsed ``<name>.yaml`` of this language (cached); ``{}`` if the file is absent."""
        if name not in self._cache:
            file = self.path / f"{name}.yaml"
            self._cache[name] = (_read(file) if file.exists() else None) or {}
        return self._cache[name]


@cache
def get_language(code: str) -> LanguageData:
    return LanguageData(code)
