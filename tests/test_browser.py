"""The workspace in a real browser: Debian's headless Chromium driven by Playwright against a
uvicorn server on 127.0.0.1 over the example articles. It follows what an analyst does: open the
Russia–North Korea timeline, click into a fact, read its status history and highlighted evidence,
follow its links to the linked fact and the article, and select events in the article view.
Screenshots go to tests/artifacts/. Skipped when Playwright or /usr/bin/chromium is missing
(``.ci/run`` installs chromium); the browser never fetches anything beyond the test server."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cronaca.cli import app as cli

sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "cronaca" / "examples").glob("*.txt"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server in a thread on a free loopback port, over the example articles."""
    from cronaca.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "examples.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db), *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound here, so no other process can take the port meanwhile
    server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):  # at most 10 s
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: object, base_url: str) -> Iterator[object]:
    """A page that fails the test on script errors or on any request off the test server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    foreign: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("request", lambda r: None if r.url.startswith(base_url) else foreign.append(r.url))
    yield opened
    context.close()
    assert not errors, f"script errors: {errors}"
    assert not foreign, f"requests off the test server: {foreign}"


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_links_work(page: object, selector: str) -> int:
    """Every link matched by ``selector`` answers 200; returns how many were checked."""
    hrefs = {h.split("#")[0] for h in page.eval_on_selector_all(selector, "els => els.map(e => e.href)")}
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    return len(hrefs)


def test_timeline_to_fact_to_article(page: object) -> None:
    expect = sync_api.expect
    page.goto("/timeline?actor=RUS&actor=PRK")
    expect(page.locator("h1")).to_contain_text("Russia (RUS) ↔ North Korea (PRK)")
    expect(page.locator(".legend")).to_contain_text("contested")
    cards = page.locator("li.fact-card")
    assert cards.count() > 0
    shot(page, "01-timeline-rus-prk")

    # the North Korean deployment someone accused them of: an AID fact whose history has "alleged"
    card = cards.filter(has=page.locator(".history .status-alleged")).filter(has_text="AID").first
    expect(card).to_be_visible()
    card.locator("a.fact-link").click()
    page.wait_for_url("**/facts/*")
    expect(page.locator("h1")).to_contain_text("AID")
    history = page.locator("section[aria-labelledby=history-title] ol.history > li")
    assert history.count() >= 1
    expect(history.first.locator(".badge")).to_have_text("alleged")
    evidence = page.locator("blockquote.evidence")
    assert evidence.count() >= 1
    triggers = page.locator("blockquote.evidence mark.hl-trigger")
    expect(triggers.first).to_be_visible()
    color = triggers.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")  # the trigger is visibly highlighted
    assert assert_links_work(page, "main a[href^='/']") >= 2
    shot(page, "02-fact")
    fact_url = page.url

    # the linked accusation, and back
    page.locator("ul.links a").first.click()
    page.wait_for_url("**/facts/*")
    expect(page.locator("h1")).to_contain_text("ACCUSE")
    page.go_back()
    assert page.url == fact_url

    # the article of the alleged mention opens with its sentence selected and in view
    mention = page.locator("li.mention").filter(has=page.locator(".mention-head .status-alleged")).first
    mention.locator(".mention-head a").click()
    page.wait_for_url("**/articles/*")
    active = page.locator(".article-text .sentence.is-active")
    expect(active).to_have_count(1)
    expect(active).to_be_in_viewport()
    expect(active.locator("mark.trigger.is-active")).to_have_count(1)
    shot(page, "03-article-evidence")


def test_article_view_selects_events_by_click(page: object) -> None:
    expect = sync_api.expect
    page.goto("/")
    page.locator("main table a[href^='/articles/']").first.click()
    page.wait_for_url("**/articles/*")
    links = page.locator("a.event-link")
    assert links.count() >= 2
    for kind in ("trigger", "ent", "time"):
        assert page.locator(f".article-text mark.{kind}").count() > 0, kind
    last = links.nth(links.count() - 1)
    sentence_id = last.get_attribute("data-sentence")
    event_id = last.get_attribute("data-event")
    last.click()
    sentence = page.locator(f"#{sentence_id}")
    expect(sentence).to_have_class("sentence is-active")
    expect(sentence).to_be_in_viewport()
    expect(page.locator(f"mark.is-active[data-events~='{event_id}']")).to_have_count(1)
    assert f"event={event_id}" in page.url  # the address keeps the selection
    expect(page.locator(".event-link[aria-current=true]")).to_have_count(1)
    shot(page, "04-article-event-selected")

    links.first.click()
    expect(page.locator(".sentence.is-active")).to_have_count(1)
    expect(page.locator(".event-item.is-active .event-link")).to_have_attribute(
        "data-event", links.first.get_attribute("data-event"))


def test_filters_round_trip_through_the_address(page: object) -> None:
    expect = sync_api.expect
    page.goto("/timeline?actor=RUS&actor=PRK")
    page.locator("input[name=type][value=AID]").check()
    page.locator("button[type=submit]", has_text="Apply filters").click()
    page.wait_for_url("**type=AID**")
    titles = page.locator("a.fact-link").all_inner_texts()
    assert titles and all(t.startswith("AID") for t in titles)
    permalink = page.locator("a.permalink").get_attribute("href")
    page.goto(permalink)
    assert page.locator("a.fact-link").all_inner_texts() == titles
    expect(page.locator("input[name=type][value=AID]")).to_be_checked()
    page.goto("/timeline?from=nonsense")
    expect(page.locator("h1")).to_contain_text("400")
    shot(page, "05-bad-parameter")


@pytest.mark.parametrize("url", ["/", "/timeline?actor=RUS&actor=PRK", "/actors", "/search?q=soldati"])
def test_pages_are_labelled_for_assistive_technology(page: object, url: str) -> None:
    page.goto(url)
    unlabelled = page.eval_on_selector_all(
        "input, select", "els => els.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))"
                         ".map(e => e.outerHTML)")
    assert unlabelled == []
    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
    assert page.locator("nav[aria-label=Main] a").count() >= 4
