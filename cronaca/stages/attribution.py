"""PLACEHOLDER (being written): attribution."""
from ..document import Document
from ..lang import LanguageData


class Attributor:
    name = "attribution"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
