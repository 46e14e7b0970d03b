"""PLACEHOLDER (being written): named mentions from gazetteers and rules."""
from ..document import Document
from ..lang import LanguageData


class EntityRecognizer:
    name = "entities"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
