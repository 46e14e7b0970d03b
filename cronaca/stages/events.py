"""PLACEHOLDER (being written): events."""
from ..document import Document
from ..lang import LanguageData


class EventExtractor:
    name = "events"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
