"""PLACEHOLDER (being written): time expressions."""
from ..document import Document
from ..lang import LanguageData


class TimexTagger:
    name = "timex"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Document) -> Document:
        return doc
