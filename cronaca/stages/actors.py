"""PLACEHOLDER (being written): role appositives and nominal actors."""
from ..document import Document
from ..lang import LanguageData


class ActorResolver:
    name = "actors"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
