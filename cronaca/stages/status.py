"""PLACEHOLDER (being written): status."""
from ..document import Document
from ..lang import LanguageData


class StatusClassifier:
    name = "status"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
