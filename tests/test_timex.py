"""The timex stage: detection, ISO normalisation against the publication date, and tense."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cronaca.document import Document
from cronaca.lang import get_language
from cronaca.model import Timex
from cronaca.stages.segment import Segmenter
from cronaca.stages.timex import TimexTagger

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def tag(text: str, published: str | None = "2025-06-05", lang: str = "it") -> Document:
    language = get_language(lang)
    return TimexTagger(language)(Segmenter(language)(Document(text=text, lang=lang,
                                                              published=published)))


def found(text: str, published: str | None = "2025-06-05", lang: str = "it") -> dict[str, Timex]:
    return {t.text.lower(): t for t in tag(text, published, lang).timexes}


def values(text: str, published: str | None = "2025-06-05", lang: str = "it") -> dict[str, str | None]:
    return {k: t.value for k, t in found(text, published, lang).items()}


# 2025-06-05 is a Thursday, in ISO week 23.

@pytest.mark.parametrize("text, expected", [
    ("Il ministro ha firmato il decreto mercoledì.", {"mercoledì": "2025-06-04"}),
    ("Il vertice si terrà mercoledì a Ginevra.", {"mercoledì": "2025-06-11"}),
    ("La delegazione è partita lunedì scorso e tornerà venerdì prossimo.",
     {"lunedì scorso": "2025-06-02", "venerdì prossimo": "2025-06-06"}),
    ("Oggi la giunta ha votato, ieri aveva discusso e l'altro ieri aveva rinviato.",
     {"oggi": "2025-06-05", "ieri": "2025-06-04", "l'altro ieri": "2025-06-03"}),
    ("Domani il sindaco incontrerà i sindacati.", {"domani": "2025-06-06"}),
    ("Stamattina la nave è attraccata; stasera ripartirà.",
     {"stamattina": "2025-06-05", "stasera": "2025-06-05"}),
    ("Ieri sera il consiglio ha approvato il bilancio.", {"ieri sera": "2025-06-04"}),
    ("La settimana scorsa il comitato ha respinto la mozione.",
     {"la settimana scorsa": "2025-W22"}),
    ("Questa settimana la commissione ha ascoltato i testimoni.",
     {"questa settimana": "2025-W23"}),
    ("La settimana prossima il comitato voterà.", {"la settimana prossima": "2025-W24"}),
    ("Il mese scorso i prezzi sono saliti.", {"il mese scorso": "2025-05"}),
    ("L'anno scorso la produzione era calata, l'anno prossimo crescerà.",
     {"l'anno scorso": "2024", "l'anno prossimo": "2026"}),
    ("Il porto è stato chiuso lo scorso agosto.", {"lo scorso agosto": "2024-08"}),
    ("Il prossimo agosto si voterà.", {"il prossimo agosto": "2025-08"}),
    ("Ad aprile il governo ha cambiato linea.", {"ad aprile": "2025-04"}),
    ("A settembre il governo aveva cambiato linea.", {"a settembre": "2024-09"}),
    ("In settembre il governo cambierà linea.", {"in settembre": "2025-09"}),
    ("In aprile il governo cambierà linea.", {"in aprile": "2026-04"}),
    ("Il trattato è stato firmato il 13 luglio 2022.", {"13 luglio 2022": "2022-07-13"}),
    ("Il trattato è stato firmato il 13/07/2022.", {"13/07/2022": "2022-07-13"}),
    ("L'accordo è stato firmato il 2 marzo.", {"2 marzo": "2025-03-02"}),
    ("L'accordo sarà firmato il 2 marzo.", {"2 marzo": "2026-03-02"}),
    ("Le trattative sono iniziate a settembre del 2022.", {"a settembre del 2022": "2022-09"}),
    ("Il patto era stato siglato nell'aprile 2019.", {"nell'aprile 2019": "2019-04"}),
    ("Il patto era stato siglato nell’aprile 2019.", {"nell’aprile 2019": "2019-04"}),
    ("Nel 2019 la fabbrica ha chiuso.", {"nel 2019": "2019"}),
    ("Negli anni '90 la città era diversa, come negli anni novanta.",
     {"negli anni '90": "199", "negli anni novanta": "199"}),
    ("Tre giorni fa il treno è deragliato.", {"tre giorni fa": "2025-06-02"}),
    ("Due settimane fa il treno è deragliato.", {"due settimane fa": "2025-W21"}),
    ("Un mese fa il treno è deragliato.", {"un mese fa": "2025-05"}),
    ("La scorsa estate la siccità ha colpito il nord.", {"la scorsa estate": "2024-SU"}),
    ("Tra tre giorni il parlamento voterà.", {"tra tre giorni": "2025-06-08"}),
])
def test_italian_values(text: str, expected: dict[str, str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize("text, span, value, mod", [
    ("Le prime voci sono circolate alla fine del 2024.", "alla fine del 2024", "2024", "END"),
    ("All'inizio dell'anno i prezzi sono saliti.", "all'inizio dell'anno", "2025", "START"),
    ("Il cantiere ha aperto all'inizio di marzo.", "all'inizio di marzo", "2025-03", "START"),
    ("Il raccolto è finito a metà giugno.", "a metà giugno", "2025-06", "MID"),
    ("Il ponte sarà pronto entro la fine dell'anno.", "entro la fine dell'anno", "2025", "END"),
    ("Le accuse arrivano dal settembre del 2022.", "dal settembre del 2022", "2022-09", "START"),
    ("Il palazzo è crollato circa tre anni fa.", "circa tre anni fa", "2022", "APPROX"),
    ("Le ricerche sono iniziate intorno al 2010.", "intorno al 2010", "2010", "APPROX"),
])
def test_italian_modifiers(text: str, span: str, value: str, mod: str) -> None:
    timex = found(text)[span]
    assert (timex.value, timex.mod, timex.type) == (value, mod, "DATE")


@pytest.mark.parametrize("text, span, value, kind", [
    ("Negli ultimi anni le esportazioni sono cresciute.", "negli ultimi anni", None, "DURATION"),
    ("Lo ripete da anni.", "da anni", None, "DURATION"),
    ("Ha lavorato in miniera per tre anni.", "per tre anni", "P3Y", "DURATION"),
    ("Negli ultimi cinque anni il debito è raddoppiato.", "negli ultimi cinque anni", "P5Y",
     "DURATION"),
    ("Ogni anno il festival attira migliaia di persone.", "ogni anno", "P1Y", "SET"),
    ("Il consiglio si riunisce ogni lunedì.", "ogni lunedì", "XXXX-WXX-1", "SET"),
])
def test_durations_and_sets(text: str, span: str, value: str | None, kind: str) -> None:
    timex = found(text)[span]
    assert (timex.value, timex.type) == (value, kind)


def test_no_publication_date_keeps_relative_values_empty() -> None:
    got = values("Mercoledì il ministro ha parlato; ad aprile aveva votato; oggi tace; "
                 "il 13 luglio 2022 ha firmato; nel 2019 era altrove.", published=None)
    assert got == {"mercoledì": None, "ad aprile": None, "oggi": None,
                   "13 luglio 2022": "2022-07-13", "nel 2019": "2019"}


def test_values_never_finer_than_the_publication_date() -> None:
    text = ("Oggi il governo ha parlato; ieri aveva taciuto; il mese scorso aveva votato; "
            "l'anno scorso aveva perso; lo scorso agosto aveva vinto.")
    assert values(text, "2023-01") == {
        "oggi": "2023-01", "ieri": "2023-01", "il mese scorso": "2022-12",
        "l'anno scorso": "2022", "lo scorso agosto": "2022-08"}
    assert values(text, "2023")["oggi"] == "2023"
    assert values(text, "2023-01-10")["ieri"] == "2023-01-09"


def test_offsets_are_exact_sorted_and_disjoint() -> None:
    text = ("Mercoledì 4 giugno 2025 il ministro, arrivato lo scorso agosto, ha detto che "
            "la settimana scorsa la giunta aveva approvato il piano; alla fine del 2024 "
            "tre giorni fa e ogni anno.")
    timexes = tag(text).timexes
    assert [t.text for t in timexes] == ["Mercoledì 4 giugno 2025", "lo scorso agosto",
                                         "la settimana scorsa", "alla fine del 2024",
                                         "tre giorni fa", "ogni anno"]
    for t in timexes:
        assert text[t.start:t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(timexes, timexes[1:]))


@pytest.mark.parametrize("text", [
    "Kim Jong-un ha ricevuto migliaia di lettere.",
    "Il convoglio ha impiegato 12 giorni, poi altri 2 giorni di sosta.",
    "La squadra ha segnato 2024 punti in totale.",
    "Sabrina e Marzia hanno vinto il premio Aprilia.",
    "Il saldo era di 1.990 euro e di 2.019 dollari.",
])
def test_no_spurious_timexes(text: str) -> None:
    assert tag(text).timexes == []


def test_tense_per_sentence() -> None:
    doc = tag("Il ministro ha firmato l'accordo. Il parlamento lo ratificherà. "
              "La città conta mille abitanti. Gli operai lavoravano di notte.")
    assert doc.tense == {0: "past", 1: "future", 2: "present", 3: "past"}


def test_nearest_tense_cue_decides_direction() -> None:
    got = values("Il presidente ha detto che mercoledì incontrerà il premier.")
    assert got == {"mercoledì": "2025-06-11"}


@pytest.mark.parametrize("text, expected", [
    ("The minister met the envoy on Wednesday.", {"wednesday": "2025-06-04"}),
    ("The summit will be held on Wednesday.", {"wednesday": "2025-06-11"}),
    ("Last week the panel rejected the bill. Next week it will vote again.",
     {"last week": "2025-W22", "next week": "2025-W24"}),
    ("The factory closed in April.", {"in april": "2025-04"}),
    ("Three days ago the envoy arrived.", {"three days ago": "2025-06-02"}),
    ("The treaty was signed on July 13, 2022.", {"july 13, 2022": "2022-07-13"}),
    ("The treaty was signed on 13 July 2022.", {"13 july 2022": "2022-07-13"}),
    ("The port was closed last August.", {"last august": "2024-08"}),
    ("Yesterday the court ruled; tomorrow it will sit again.",
     {"yesterday": "2025-06-04", "tomorrow": "2025-06-06"}),
    ("In the 1990s the region was poorer.", {"in the 1990s": "199"}),
    ("They may 2 times refuse.", {}),
])
def test_english_values(text: str, expected: dict[str, str]) -> None:
    assert values(text, lang="en") == expected


def test_english_modifiers_and_durations() -> None:
    got = found("Troops arrived in late 2024, stayed for three years and met every year; "
                "the plant will close by the end of the year.", lang="en")
    assert (got["late 2024"].value, got["late 2024"].mod) == ("2024", "END")
    assert (got["for three years"].value, got["for three years"].type) == ("P3Y", "DURATION")
    assert (got["every year"].value, got["every year"].type) == ("P1Y", "SET")
    assert (got["by the end of the year"].value, got["by the end of the year"].mod) == ("2025", "END")


def _seed_cases() -> list[tuple[str, str | None, list[dict]]]:
    gold = SHARED / "data" / "gold" / "seeds.jsonl"
    if not gold.exists():
        return []
    cases = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else {}
        if "timexes" in item and "file" in item:
            text = (SHARED / "seeds" / item["file"]).read_text(encoding="utf-8")
            header = re.match(r"\s*date\s+(\d{4}(?:-\d{2}){0,2})\s+", text)
            if header:
                text = text[header.end():]
            cases.append((text, item.get("published") or (header and header.group(1)), item["timexes"]))
    return cases


def test_seed_gold_timexes() -> None:
    cases = _seed_cases()
    if not cases:
        pytest.skip("shared seeds not available")
    for text, published, gold in cases:
        system = tag(text, published).timexes
        unmatched = list(system)
        for g in gold:
            at = [m.start() for m in re.finditer(re.escape(g["text"]), text)]
            hit = next((t for t in unmatched
                        if any(t.start < a + len(g["text"]) and a < t.end for a in at)), None)
            assert hit is not None, f"missed {g['text']!r}"
            assert hit.value == g["value"], (g["text"], hit.value)
            if "mod" in g:
                assert hit.mod == g["mod"]
            unmatched.remove(hit)
        assert unmatched == [], f"spurious: {[t.text for t in unmatched]}"


@pytest.mark.parametrize("text, span, value, mod", [
    ("Da dicembre il prezzo è salito.", "da dicembre", "2024-12", "START"),
    ("Pochi giorni fa il ministro è partito.", "pochi giorni fa", None, None),
    ("Il gruppo ha lasciato l' anno scorso.", "l' anno scorso", "2024", None),
    ("Since February prices have risen.", "since february", "2025-02", "START"),
])
def test_since_vague_and_spacing(text: str, span: str, value: str | None, mod: str | None) -> None:
    lang = "en" if text.startswith("Since") else "it"
    timex = found(text, lang=lang)[span]
    assert (timex.value, timex.mod) == (value, mod)


def test_no_expression_across_a_line_break() -> None:
    assert [t.text for t in tag("Cronaca degli anni\n30 persone in piazza").timexes] == []


def test_tennis_sets_are_not_september() -> None:
    assert tag("Il tennista ha vinto due set e poi tre set.").timexes == []


def test_iso_and_numeric_dates() -> None:
    got = values("Il bando è uscito il 2015/08/12 e scade il 2025-09-30; la gara era del 16/11/2016.")
    assert got == {"2015/08/12": "2015-08-12", "2025-09-30": "2025-09-30", "16/11/2016": "2016-11-16"}


def test_case_and_accent_insensitive() -> None:
    got = values("LUNEDI il consiglio ha votato; a meta giugno aveva rinviato.")
    assert got == {"lunedi": "2025-06-02", "a meta giugno": "2025-06"}
