"""Property-based API testing: schemathesis generates requests from ``/openapi.json`` (valid ones
and deliberately invalid ones) and sends them in-process to the application over a store holding
the example articles, with ingest enabled and the token given, so writes are exercised too.

Every answer must be no server error, declared in the schema for its operation, with the declared
content type and a body that validates against the declared model. Bounded: a fixed number of
examples per operation, derandomised, so a run is repeatable and takes well under a minute.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from cronaca.pipeline import extract
from cronaca.read import read_inputs
from cronaca.store import open_store
from cronaca.web import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "cronaca" / "examples"
TOKEN = "schemathesis-token"

# The schema says which strings are well formed, not which actors exist or which days a month
# has: a well-formed question about an unknown actor, an impossible date such as 2024-02-30 or
# a "from" after "to" is answered 400 with a message, and that counts as accepting valid data.
# An over-long text may well be an over-large body: 413 is a rejection like 422.
CONFIG = {
    "generation": {"max-examples": 30, "deterministic": True, "database": "none"},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]},
               "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "413",
                                                                 "415", "422"]}},
}


# Built at import: schemathesis makes its tests from the schema while pytest collects them (its
# fixture-based loader does not work with pytest 9). The store starts empty; the fixture below
# fills it before the first request.
_WORKDIR = tempfile.TemporaryDirectory(prefix="cronaca-schemathesis-")
DB = Path(_WORKDIR.name) / "api.db"
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(DB, allow_ingest=True, token=TOKEN),
                                        config=SchemathesisConfig.from_dict(CONFIG))


@pytest.fixture(scope="module", autouse=True)
def example_articles() -> None:
    with open_store(DB) as store:
        store.add_batch(extract(a.text, lang=a.lang, published=a.published, source=a.source)
                        for a in read_inputs([EXAMPLES], lang="it"))


@schema.parametrize()
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
