"""cronaca: source-attributed events from news articles.

>>> from cronaca import extract
>>> record = extract("Mercoledì il presidente russo Vladimir Putin ha incontrato Kim Jong-un a Mosca.",
...                  published="2025-06-05")
>>> record.events[0].type
'CONSULT'
"""
from .model import Record
from .pipeline import Pipeline, extract, get_pipeline

__all__ = ["Pipeline", "Record", "extract", "get_pipeline"]
__version__ = "0.1.0"
