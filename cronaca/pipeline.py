"""The ordered stages for a language, run over one document at a time.

Like spaCy's ``Language``: ``Pipeline.for_language("it")`` builds the stages once (loading the
language's data files), then ``pipeline(doc)`` runs them in order. Each stage is a callable
``Document -> Document`` with a ``name``; ``pipeline.stages`` lists them and any prefix of the
pipeline can be run alone for tests (``pipeline(doc, until="timex")``).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache

from .document import Document
from .lang import LanguageData, get_language
from .model import Record
from .trained import LanguageModels, models_for

Stage = Callable[[Document], Document]

STAGE_ORDER = ("segment", "entities", "actors", "triggers", "ner", "timex", "events", "attribution",
               "status")
# Stages that read the language's trained models (``cronaca.trained``); the others are rules only.
TRAINED_STAGES = ("triggers", "ner", "events", "status")


def _stage_factories() -> dict[str, Callable[..., Stage]]:
    from .stages.actors import ActorResolver
    from .stages.attribution import Attributor
    from .stages.entities import EntityRecognizer
    from .stages.events import EventExtractor
    from .stages.ner import EntityTagger
    from .stages.segment import Segmenter
    from .stages.status import StatusClassifier
    from .stages.timex import TimexTagger
    from .stages.triggers import TriggerTagger

    return {
        "segment": Segmenter, "entities": EntityRecognizer, "actors": ActorResolver,
        "triggers": TriggerTagger, "ner": EntityTagger, "timex": TimexTagger,
        "events": EventExtractor, "attribution": Attributor, "status": StatusClassifier,
    }


class Pipeline:
    def __init__(self, lang: LanguageData, stages: list[Stage]) -> None:
        self.lang = lang
        self.stages = stages

    @classmethod
    def for_language(cls, code: str, models: LanguageModels | None | str = "shipped") -> Pipeline:
        """The stages of ``code``; ``models`` replaces the shipped trained models (None: rules
        only), as training does to measure the models it has just made."""
        lang = get_language(code)
        factories = _stage_factories()
        chosen = models_for(code) if models == "shipped" else models
        return cls(lang, [factories[name](lang, chosen) if name in TRAINED_STAGES else factories[name](lang)
                          for name in STAGE_ORDER])

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document, until: str | None = None, start: str | None = None) -> Document:
        """Run the stages in order, from ``start`` (default: the first) to ``until`` (the last)."""
        for name in (start, until):
            if name is not None and name not in self.stage_names:
                raise ValueError(f"no stage {name!r} (the stages: {', '.join(self.stage_names)})")
        running = start is None
        for stage in self.stages:
            running = running or stage.name == start
            if not running:
                continue
            doc = stage(doc)
            if stage.name == until:
                break
        return doc


@cache
def get_pipeline(code: str) -> Pipeline:
    return Pipeline.for_language(code)


def content_id(text: str) -> str:
    """The article id: a hash of its text, so the same article is recognised wherever it comes from."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract(text: str, *, lang: str = "it", published: str | None = None, title: str | None = None,
            source: str | None = None, url: str | None = None, doc_id: str | None = None) -> Record:
    """Extract the record of one article (the public entry point, see ``cronaca.extract``)."""
    doc = Document(text=text, lang=lang, published=published, title=title, source=source, url=url,
                   id=doc_id or content_id(text))
    return get_pipeline(lang)(doc).to_record()
