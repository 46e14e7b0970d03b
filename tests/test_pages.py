"""The HTML pages, checked server-side: what they show agrees with the query API on the example
articles, filters live in the URL, highlights sit on the record's offsets, links resolve, and bad
parameters or unknown ids give 400/404 pages instead of errors."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cronaca import query
from cronaca.cli import app as cli
from cronaca.model import (Actor, DocInfo, Entity, Event, Fact, FactMention, HistoryEntry, Record, Source,
                           Span, Timex, Trigger)
from cronaca.store import Store, open_store
from cronaca.web import pages
from cronaca.web.app import create_app
from cronaca.web.pages import STATUS_LEGEND, actor_label, anchor_id, evidence_spans, fact_status

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "cronaca" / "examples").glob("*.txt"))
FACT_LINK = re.compile(r'<a class="fact-link" href="/facts/([^"]+)">')
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "examples.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(path), *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as opened:
        yield opened


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def text_of(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


def article_text(body: str) -> str:
    """The article as the page renders it: the text of the ``article-text`` block."""
    found = re.search(r'<div class="article-text"[^>]*>(.*?)</div>', body, re.DOTALL)
    assert found, "no article text block"
    return text_of(found.group(1))


# -- home, static files, offline ----------------------------------------------------------------

def test_home_counts_and_links_every_article(client: TestClient, store: Store) -> None:
    body = page(client, "/")
    assert f"<strong>{store.count_articles()}</strong> articles" in body
    assert f"<strong>{store.count_facts()}</strong> facts" in body
    ids = re.findall(r'href="/articles/([^"]+)"', body)
    assert sorted(ids) == sorted(r.doc.id for r in store.iter_records())
    for article_id in ids:
        page(client, f"/articles/{article_id}")


def test_pages_load_only_their_own_scripts_and_styles(client: TestClient) -> None:
    body = page(client, "/timeline")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', body)
    assert assets and all(a.startswith("/static/") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert "http://" not in body and "https://" not in body


def test_every_link_reachable_from_home_works(client: TestClient) -> None:
    """A bounded crawl of the site as a person would click through it: no dead or broken link."""
    seen: set[str] = set()
    todo = ["/"]
    while todo and len(seen) < 400:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        body = page(client, url)
        for href in re.findall(r'href="([^"#]*)', body):
            href = html.unescape(href)
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if href.startswith("/") and not href.startswith("/static/"):
                todo.append(href)
    assert len(seen) > 50 and any(u.startswith("/facts/") for u in seen)


# -- timeline -----------------------------------------------------------------------------------

def test_timeline_of_a_pair_shows_the_query_answer(client: TestClient, store: Store) -> None:
    body = page(client, "/timeline?actor=RUS&actor=Corea+del+Nord")
    expected = [f.id for f in query.timeline(store, ["RUS", "PRK"])]
    assert expected and FACT_LINK.findall(body) == expected
    assert "Russia (RUS) ↔ North Korea (PRK)" in body
    assert 'value="RUS"' in body and 'value="Corea del Nord"' in body  # the form keeps the filters
    cards = re.findall(r'<li class="fact-card status-edge-(\w+)">', body)
    assert len(cards) == len(expected) and set(cards) <= set(STATUS_LEGEND)
    for status in STATUS_LEGEND:  # the legend explains every colour
        assert f'<dt><span class="badge status-{status}">{status}</span></dt>' in body


def test_timeline_filters_by_type_source_status_and_dates(client: TestClient, store: Store) -> None:
    aid = FACT_LINK.findall(page(client, "/timeline?actor=PRK&type=AID&type=aid"))
    assert aid == [f.id for f in query.timeline(store, ["PRK"], types=["AID"])]
    assert 'value="AID" checked' in page(client, "/timeline?type=AID")

    speaker = next(s for f in store.iter_facts() for s in f.speakers)
    told = FACT_LINK.findall(page(client, f"/timeline?source={speaker}"))
    assert told and told == [f.id for f in query.facts(store, source=speaker)]

    contested = FACT_LINK.findall(page(client, "/timeline?status=contested"))
    assert contested == [f.id for f in query.facts(store, contested=True)]
    assert FACT_LINK.findall(page(client, "/timeline?contested=true")) == contested
    alleged = FACT_LINK.findall(page(client, "/timeline?status=alleged&contested=any"))
    assert alleged == [f.id for f in query.facts(store, status="alleged")]

    dated = FACT_LINK.findall(page(client, "/timeline?from=2025&to=2025-12-31"))
    assert dated == [f.id for f in query.timeline(store, date_from="2025", date_to="2025-12-31")]
    assert len(dated) < store.count_facts()


def test_pair_timeline_counts_cooperation_and_conflict(client: TestClient, store: Store) -> None:
    body = page(client, "/timeline?actor=RUS&actor=PRK&type=AID&by=quarter")
    expected = query.dyad(store, "RUS", "PRK", "quarter")
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>\s*((?:<td class="num">\d+</td>)+)', body)
    assert expected and [(p, [int(n) for n in re.findall(r"\d+", counts)]) for p, counts in rows] == \
        [(p.period, [p.counts[q] for q in query.QUAD_CLASSES]) for p in expected]
    # the other periods keep every other filter
    assert 'href="/timeline?actor=RUS&amp;actor=PRK&amp;type=AID&amp;by=year"' in body
    assert 'id="dyad-title"' not in page(client, "/timeline?actor=RUS")
    page(client, "/timeline?actor=RUS&actor=PRK&by=week", 400)


def test_timeline_limit_says_it_truncates(client: TestClient) -> None:
    body = page(client, "/timeline?limit=2")
    assert len(FACT_LINK.findall(body)) == 2 and "the first 2 only" in body


@pytest.mark.parametrize("params", [
    "from=yesterday", "to=2025-13", "from=2025&to=2024", "type=BOMB", "status=rumoured",
    "contested=maybe", "limit=0", "limit=abc", "limit=99999", "actor=RUS&actor=PRK&actor=UKR",
    "actor=Atlantide", "from=2024&from=2025", "limit=%C2%B2", "limit=" + "9" * 5000,
    "source=" + "x" * 300, "from=%FF%FE", "actor=%00",
])
def test_timeline_bad_parameters_are_400_pages(client: TestClient, params: str) -> None:
    body = page(client, f"/timeline?{params}", 400)
    assert "400 — Bad request" in body and "Traceback" not in body


def test_blank_form_fields_are_no_filter(client: TestClient, store: Store) -> None:
    body = page(client, "/timeline?actor=&actor=&from=&to=&source=&status=")
    assert len(FACT_LINK.findall(body)) == store.count_facts()


# -- fact ----------------------------------------------------------------------------------------

def linked_fact(store: Store, rel: str):
    return next(f for f in store.iter_facts() if any(link.rel == rel for link in f.links))


def test_fact_page_history_evidence_and_links(client: TestClient, store: Store) -> None:
    fact = linked_fact(store, "accused_by")
    found, evidence = query.fact(store, fact.id)
    body = page(client, f"/facts/{fact.id}")
    history = re.search(r'<h2 id="history-title">.*?</ol>', body, re.DOTALL)
    assert history
    assert re.findall(r'class="badge status-(\w+)"', history.group()) == [h.status for h in found.history]
    mentions = re.findall(r'<li class="mention status-edge-(\w+)">(.*?)</li>', body, re.DOTALL)
    assert [m[0] for m in mentions] == [e.status for e in evidence]
    for (_, block), e in zip(mentions, evidence):
        quote = re.search(r'<blockquote class="evidence">(.*?)</blockquote>', block, re.DOTALL)
        assert quote and text_of(quote.group(1)) == e.text
        trigger = next(h for h in e.highlights if h.kind == "trigger")
        assert f'<mark class="hl-trigger">{html.escape(e.text[trigger.start:trigger.end])}</mark>' \
            in quote.group(1)
    accuser = next(link.fact for link in found.links if link.rel == "accused_by")
    assert f'accused by</span>\n      <a href="/facts/{accuser}">' in body
    for url in set(re.findall(r'href="(/(?:facts|articles)/[^"#]+)', body)):
        page(client, html.unescape(url))


def test_fact_page_links_to_the_article_with_its_event_selected(client: TestClient,
                                                                 store: Store) -> None:
    fact = linked_fact(store, "accused_by")
    mention = fact.mentions[-1]
    body = page(client, f"/facts/{fact.id}")
    url = f"/articles/{mention.doc}?event={mention.event}#s-{mention.sentence.start}-{mention.sentence.end}"
    assert f'href="{html.escape(url)}"' in body
    article = page(client, url.split("#")[0])
    anchor = anchor_id(evidence_spans(store.get_record(mention.doc))[mention.event])
    assert f'<span class="sentence is-active" id="{anchor}"' in article
    assert re.search(rf'<mark class="[^"]*is-active[^"]*"[^>]*data-events="[^"]*\b{mention.event}\b', article)


def test_unknown_ids_are_404_pages(client: TestClient) -> None:
    assert "unknown fact" in page(client, "/facts/f000000000000", 404)
    assert "no article with id" in page(client, "/articles/sha256:0000", 404)


# -- article -------------------------------------------------------------------------------------

def test_article_view_keeps_the_text_and_highlights_on_offsets(client: TestClient,
                                                                store: Store) -> None:
    for record in store.iter_records():
        body = page(client, f"/articles/{record.doc.id}")
        assert article_text(body) == record.doc.text
        for event in record.events:
            assert re.search(rf'<mark class="[^"]*\btrigger\b[^"]*"[^>]*data-events="[^"]*\b{event.id}\b',
                             body), event.id
            assert f'data-event="{event.id}"' in body  # the side panel entry
        marks = re.findall(r'<mark class="([^"]*)"[^>]*>([^<]*)</mark>', body)
        covered = "".join(html.unescape(t) for classes, t in marks if "ent" in classes.split())
        assert all(e.text.replace(" ", "") in covered.replace(" ", "") for e in record.entities)
        for timex in record.timexes:
            assert any("time" in c.split() and html.unescape(t) in timex.text for c, t in marks)


def test_article_view_marks_attribution_cues(client: TestClient, store: Store) -> None:
    record, cue = next((r, s.cue) for r in store.iter_records() for e in r.events for s in e.attribution
                       if s.cue and s.cue.lower() in r.doc.text[e.sentence.start:e.sentence.end].lower())
    body = page(client, f"/articles/{record.doc.id}")
    cues = [html.unescape(t) for c, t in re.findall(r'<mark class="([^"]*)"[^>]*>([^<]*)</mark>', body)
            if "cue" in c.split()]
    assert cue.lower() in " ".join(cues).lower()


def test_article_unknown_event_is_a_400_page(client: TestClient, store: Store) -> None:
    record = next(store.iter_records())
    assert "has no event" in page(client, f"/articles/{record.doc.id}?event=v999", 400)


def own_record() -> Record:
    """A hand-made record whose highlights overlap and whose sentences are evidence or not."""
    text = "Ieri il ministro Rossi ha incontrato a Roma il collega Dupont. Lo ha riferito l'Ansa."
    return Record(
        doc=DocInfo(id="sha256:test", text=text),
        entities=[Entity("e1", "ministro Rossi", 8, 22, "PER", "Mario Rossi", "ITA", "GOV"),
                  Entity("e2", "Roma", 39, 43, "LOC", "Roma", "ITA"),
                  Entity("e3", "Dupont", 55, 61, "PER")],
        timexes=[Timex("Ieri", 0, 4, "2025-06-04")],
        events=[Event("v1", "CONSULT", Trigger("incontrato", 26, 36), Span(0, 62),
                      source=[Actor("ministro Rossi", "Mario Rossi", "person", "ITA", "GOV")],
                      attribution=[Source("Mario Rossi", cue="ha incontrato"),
                                   Source("Ansa", cue="riferito")])],
    )


def test_regions_nest_highlights_in_the_evidence_sentence() -> None:
    record = own_record()
    regions = pages.article_regions(record, evidence_spans(record), active_event="v1")
    assert [r.anchor for r in regions] == ["s-0-62", None]
    assert "".join(s.text for r in regions for s in r.segments) == own_record().doc.text
    by_text = {s.text: s for s in regions[0].segments}
    assert by_text["Ieri"].classes == "time"
    assert set(by_text["incontrato"].classes.split()) == {"trigger", "cue", "is-active"}
    assert by_text["incontrato"].events == "v1"
    assert by_text["ha "].classes == "cue" and by_text["ha "].label == "attribution cue: Mario Rossi"
    assert by_text["ministro Rossi"].classes == "ent ent-per"
    # a cue outside the sentence: the nearest one after it
    assert [(s.text, s.classes) for s in regions[1].segments] == [
        (" Lo ha ", ""), ("riferito", "cue"), (" l'Ansa.", "")]


def test_overlapping_evidence_sentences_share_one_anchor() -> None:
    record = own_record()
    record.events.append(Event("v2", "CONSULT", Trigger("incontrato", 26, 36), Span(5, 70)))
    record.events.append(Event("v3", "CONSULT", Trigger("x", 0, 1), Span(90, 80)))  # broken span
    spans = evidence_spans(record)
    assert spans == {"v1": (0, 70), "v2": (0, 70)}
    regions = pages.article_regions(record, spans, active_event=None)
    assert [(r.anchor, r.events) for r in regions] == [("s-0-70", "v1 v2"), (None, "")]
    assert "".join(s.text for r in regions for s in r.segments) == record.doc.text


def test_labels_and_fact_colour() -> None:
    assert actor_label(Actor("Mosca", "Russia", "state", "RUS", "GOV")) == "Russia (RUS GOV)"
    assert actor_label(Actor("", None, None, "PRK", None)) == "North Korea (PRK)"
    mentions = [FactMention("sha256:a", "v1", "2025-01-02", "reported"),
                FactMention("sha256:b", "v4", "2025-02-03", "reported"),
                FactMention("sha256:c", "v2", "2025-03-04", "asserted")]
    fact = Fact("f1", "AID", None, [], [], None, mentions)
    assert fact_status(fact) == "reported"  # no history: the most frequent mention status
    fact.history = [HistoryEntry("alleged", "2024"), HistoryEntry("confirmed", "2025-04")]
    assert fact_status(fact) == "confirmed"  # the latest status in the history
    fact.contested = True
    assert fact_status(fact) == "contested"


# -- actors and search ---------------------------------------------------------------------------

def test_actors_page_filters_by_country(client: TestClient, store: Store) -> None:
    body = page(client, "/actors?country=Russia")
    names = re.findall(r'<td><a href="/timeline\?actor=[^"]+">([^<]+)</a></td>', body)
    assert names == [html.escape(a.name) for a in query.actors(store, "RUS")]
    assert "Actors of Russia (RUS)" in body
    for url in re.findall(r'href="(/timeline\?actor=[^"]+)"', body):
        page(client, html.unescape(url))
    page(client, "/actors?country=Atlantide", 400)


def test_search_page_marks_words_and_links_results(client: TestClient, store: Store) -> None:
    assert "<ol class=\"hits\">" not in page(client, "/search")
    body = page(client, "/search?q=soldati&limit=5")
    hits = query.search(store, "soldati", 5)
    assert hits and len(re.findall(r"<li>\s*<p><a href=\"/articles/", body)) == len(hits)
    assert '<mark class="hl-hit">soldati</mark>' in body
    for url in set(re.findall(r'href="(/(?:articles|facts)/[^"#]+)', body)):
        page(client, html.unescape(url))
    page(client, "/search?q=soldati&limit=0", 400)
