"""The trained models shipped in the package, and how stages load and run them.

Every model is a CRFsuite model file under ``cronaca/models/<lang>/``: sequence taggers (entities,
triggers) and one-item classifiers (argument roles, status, confidence calibration), all trained by
``cronaca train`` from the project's corpus. ``meta.json`` beside them records what they were
trained on, their thresholds and their dev/test figures. A language without a models folder runs
on its rules alone.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pycrfsuite

from .crf import ChainModel

MODELS_DIR = Path(__file__).parent / "models"


class CrfModel:
    """A CRFsuite model: a one-item classifier (``classify``) or a tagger, which the stages run
    with its weights in numpy (``chain``).

    A CRFsuite tagger keeps the last item it classified (its marginals read it), so each thread
    gets a tagger of its own: the web app extracts in a thread pool over one shared pipeline.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self.labels = list(self.tagger.labels())

    @property
    def tagger(self) -> pycrfsuite.Tagger:
        """This thread's tagger, opened on first use."""
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._local.tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
        return tagger

    @cached_property
    def chain(self) -> ChainModel:
        """The model's weights for decoding whole documents in numpy (taggers only)."""
        return ChainModel(self.tagger)

    def classify(self, features: list[str]) -> dict[str, float]:
        """A one-item model's probability of each label."""
        self.tagger.set([features])
        return {label: self.tagger.marginal(label, 0) for label in self.labels}


@dataclass
class LanguageModels:
    """The trained models of one language; any of them may be absent."""

    meta: dict[str, Any]
    ner: CrfModel | None
    triggers: CrfModel | None
    status: CrfModel | None
    calibration: CrfModel | None
    roles: CrfModel | None = None

    def threshold(self, name: str, default: float) -> float:
        return float(self.meta.get("thresholds", {}).get(name, default))


def _open(folder: Path, name: str) -> CrfModel | None:
    path = folder / f"{name}.crfsuite"
    return CrfModel(path) if path.exists() else None


@cache
def models_for(lang: str) -> LanguageModels | None:
    """The shipped models of ``lang`` (loaded once), or None when none were shipped."""
    return load_models(MODELS_DIR / lang)


def load_models(folder: Path) -> LanguageModels | None:
    """The models in ``folder`` (a ``meta.json`` and the model files it has), or None."""
    meta_path = Path(folder) / "meta.json"
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return LanguageModels(meta=meta, ner=_open(folder, "ner"), triggers=_open(folder, "triggers"),
                          status=_open(folder, "status"), calibration=_open(folder, "calibration"),
                          roles=_open(folder, "roles"))

