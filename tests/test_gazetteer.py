"""The place, country and body gazetteers: data integrity across files, spot checks, speed."""
from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.it.stop_words import STOP_WORDS as IT_STOP_WORDS

from cronaca.gazetteer import (KINDS, PlaceEntry, country_name, is_country_code, load_places,
                               load_regions)
from cronaca.lang import LANG_DIR, get_language

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LANGS = ("it", "en")
SECTORS = {"GOV", "MIL", "MED", "IGO", "REB", "CVL", "BUS", "OPP", "JUD", "LEG"}
# Adjectives with a single form in Italian (invariable loanwords).
INVARIABLE_IT = {"burkinabé", "swazi"}
# Countries whose capital carries the country's own name (so no separate seat), plus the
# Seychelles, whose capital Victoria is left out as a first name.
SEATLESS = {"DJI", "LUX", "MCO", "SMR", "SGP", "SYC", "VAT"}
# Stop words that are also places and are kept on purpose (capitalised, they are the region).
STOP_WORD_PLACES = {"Marche"}


def load_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def raw(lang: str) -> dict:
    """The parsed places.yaml (shared between tests: do not mutate)."""
    return load_yaml(LANG_DIR / lang / "places.yaml")


def countries_file() -> dict:
    return load_yaml(LANG_DIR / "countries.yaml")


def index(lang: str) -> dict[str, list[PlaceEntry]]:
    by_text: dict[str, list[PlaceEntry]] = defaultdict(list)
    for entry in load_places(get_language(lang)):
        by_text[entry.text].append(entry)
    return by_text


def only(lang: str, text: str) -> PlaceEntry:
    entries = index(lang)[text]
    assert len(entries) == 1, (text, entries)
    return entries[0]


# -- countries.yaml -----------------------------------------------------------------------------

def test_countries_cover_un_members_and_the_four_others() -> None:
    data = countries_file()
    bodies = data.pop("bodies")
    assert len(data) == 197  # 193 UN members + Taiwan, Kosovo, Palestine, Vatican
    for code in ("TWN", "XKX", "PSE", "VAT", "RUS", "PRK", "KOR", "UKR", "USA"):
        assert code in data
    iso2 = [entry["iso2"] for entry in data.values()]
    assert len(set(iso2)) == len(iso2)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in data)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in iso2)  # "NO" stays a string
    assert data["NOR"]["iso2"] == "NO" and data["XKX"]["iso2"] == "XK"
    for code in ("UN", "NATO", "EU", "IAEA", "MSMT", "AU", "ASEAN", "OSCE", "WHO", "ICC", "IMF",
                 "WB", "WTO", "G7", "G20", "BRICS", "OPEC"):
        assert bodies[code]["name"]
    assert not set(bodies) & set(data)


def test_country_name_and_code_lookup() -> None:
    assert country_name("PRK") == "North Korea"
    assert country_name("RUS") == "Russia"
    assert country_name("COD") == "Democratic Republic of the Congo"
    assert country_name("NATO") == "North Atlantic Treaty Organization"
    assert country_name("XYZ") is None
    assert is_country_code("UKR") and is_country_code("MSMT") and is_country_code("NOR")
    assert not is_country_code("UK") and not is_country_code("") and not is_country_code("ukr")


# -- places.yaml, per language --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_code_in_places_exists_in_countries(lang: str) -> None:
    data, known = raw(lang), countries_file()
    bodies = known.pop("bodies")
    assert set(data["countries"]) == set(known)
    assert set(data["places"].values()) <= set(known)
    assert set(data["bodies"]) <= set(bodies)
    assert all(is_country_code(e.country) for e in load_places(get_language(lang)))


@pytest.mark.parametrize("lang", LANGS)
def test_places_mapping_has_no_duplicate_keys(lang: str) -> None:
    """PyYAML keeps the last of two equal keys silently; look at the node tree instead."""
    root = yaml.compose((LANG_DIR / lang / "places.yaml").read_text(encoding="utf-8"))
    for key, value in root.value:
        if key.value in ("countries", "places", "seat_sectors", "bodies"):
            names = [k.value for k, _ in value.value]
            assert len(names) == len(set(names)), key.value


@pytest.mark.parametrize("lang", LANGS)
def test_every_country_has_names_adjectives_and_a_seat(lang: str) -> None:
    countries = raw(lang)["countries"]
    for code, entry in countries.items():
        assert entry["names"], code
        assert entry["adjectives"], code
    seatless = {code for code, entry in countries.items() if not entry["seats"]}
    assert seatless <= SEATLESS


def italian_paradigm_complete(forms: list[str]) -> bool:
    """Four forms, or a whole short paradigm: -e/-i (statunitense), -a/-i/-e (belga, saudita),
    or one documented invariable form."""
    if len(forms) >= 4:
        return True
    ends = sorted(f[-1] for f in forms)
    stems = {f[:-1] for f in forms} | {f[:-2] for f in forms if f.endswith("he")}
    if len(forms) == 2 and ends == ["e", "i"]:
        return len({f[:-1] for f in forms}) == 1
    if len(forms) == 3 and ends == ["a", "e", "i"]:
        return any(all(f.startswith(s) for f in forms) for s in stems)
    return len(forms) == 1 and forms[0] in INVARIABLE_IT


def test_italian_adjectives_come_in_all_their_forms() -> None:
    countries = raw("it")["countries"]
    incomplete = {code: e["adjectives"] for code, e in countries.items()
                  if not italian_paradigm_complete(e["adjectives"])}
    assert not incomplete
    assert countries["USA"]["adjectives"][:2] == ["statunitense", "statunitensi"]
    assert set(countries["GBR"]["adjectives"]) >= {"britannico", "britannica", "britannici",
                                                    "britanniche"}
    assert set(countries["DEU"]["adjectives"]) == {"tedesco", "tedesca", "tedeschi", "tedesche"}
    assert set(countries["BEL"]["adjectives"]) == {"belga", "belgi", "belghe"}
    assert all(a == a.lower() for e in countries.values() for a in e["adjectives"])


@pytest.mark.parametrize("lang", LANGS)
def test_no_form_names_two_countries_unless_declared_ambiguous(lang: str) -> None:
    ambiguous = set(raw(lang)["ambiguous"])
    clashes = {text for text, entries in index(lang).items()
               if len({e.country for e in entries}) > 1}
    assert clashes == ambiguous  # and every declared ambiguity is real
    for text, entries in index(lang).items():  # one entry per (form, country)
        assert len(entries) == len({e.country for e in entries}), text


@pytest.mark.parametrize("lang", LANGS)
def test_entries_are_clean(lang: str) -> None:
    entries = load_places(get_language(lang))
    stop_words = IT_STOP_WORDS if lang == "it" else EN_STOP_WORDS
    for e in entries:
        assert e.kind in KINDS
        assert e.text == e.text.strip() and e.text and "’" not in e.text, e
        assert (e.sector is not None) == (e.kind == "seat"), e
        assert e.sector is None or e.sector in SECTORS
        if e.kind != "adjective":
            assert e.text[0].isupper() or e.text[0].isdigit(), e
        if e.text.lower() in stop_words:  # "Come", "Più" would fire on every sentence
            assert e.text in STOP_WORD_PLACES or e.text.isupper(), e


@pytest.mark.parametrize("lang", LANGS)
def test_seat_sectors_name_listed_seats(lang: str) -> None:
    data = raw(lang)
    seats = {s for entry in data["countries"].values() for s in entry["seats"]}
    assert set(data["seat_sectors"]) <= seats
    assert set(data["seat_sectors"].values()) <= SECTORS


@pytest.mark.parametrize("lang", LANGS)
def test_regions_are_not_also_country_places(lang: str) -> None:
    regions = load_regions(get_language(lang))
    assert len(regions) == len(set(regions)) > 50
    assert not set(regions) & set(index(lang))


# -- spot checks --------------------------------------------------------------------------------

def test_italian_spot_checks() -> None:
    assert only("it", "nordcoreani") == PlaceEntry("nordcoreani", "PRK", "adjective", None)
    assert only("it", "Mosca") == PlaceEntry("Mosca", "RUS", "seat", "GOV")
    assert only("it", "Cremlino") == PlaceEntry("Cremlino", "RUS", "seat", "GOV")
    assert only("it", "Kursk") == PlaceEntry("Kursk", "RUS", "place", None)
    assert only("it", "Corea del Sud") == PlaceEntry("Corea del Sud", "KOR", "country", None)
    assert only("it", "Corea del Nord").country == "PRK"
    assert only("it", "Pentagono") == PlaceEntry("Pentagono", "USA", "seat", "MIL")
    assert only("it", "Montecitorio").sector == "LEG"
    assert only("it", "Palazzo Chigi") == PlaceEntry("Palazzo Chigi", "ITA", "seat", "GOV")
    assert only("it", "Gerusalemme").country == "ISR"
    assert only("it", "Gaza") == PlaceEntry("Gaza", "PSE", "place", None)
    assert {only("it", n).country for n in ("Kiev", "Kyiv", "Zaporozhye", "Zaporizhzhia",
                                             "Lugansk", "Luhansk", "Donbass", "Leopoli")} == {"UKR"}
    assert {only("it", n).country for n in ("Usa", "Stati Uniti", "Casa Bianca")} == {"USA"}
    assert {only("it", n).country for n in ("Gran Bretagna", "Inghilterra", "Regno Unito")} == {"GBR"}
    assert {only("it", n).country for n in ("Olanda", "Paesi Bassi")} == {"NLD"}
    assert {only("it", n).country for n in ("Santa Sede", "Vaticano")} == {"VAT"}
    assert only("it", "Ue") == PlaceEntry("Ue", "EU", "body", None)
    assert only("it", "Nazioni Unite").country == "UN"
    assert only("it", "Palermo").kind == "place" and only("it", "Palermo").country == "ITA"
    assert {e.country for e in index("it")["Corea"]} == {"PRK", "KOR"}
    for removed in ("Fermo", "Massa", "Latina", "Porto", "San Paolo"):
        assert removed not in index("it")
    assert "Europa" in load_regions(get_language("it"))


def test_english_spot_checks() -> None:
    assert only("en", "Moscow") == PlaceEntry("Moscow", "RUS", "seat", "GOV")
    assert only("en", "Kremlin").country == "RUS"
    assert only("en", "North Korean") == PlaceEntry("North Korean", "PRK", "adjective", None)
    assert only("en", "South Korean").country == "KOR"
    assert only("en", "Pentagon").sector == "MIL"
    assert only("en", "White House") == PlaceEntry("White House", "USA", "seat", "GOV")
    assert only("en", "Downing Street").country == "GBR"
    assert only("en", "British").country == "GBR"
    assert only("en", "Kursk").kind == "place"
    assert only("en", "Kyiv").kind == "seat"
    assert only("en", "United States").country == "USA"
    assert "Nice" not in index("en")


def test_italian_and_english_list_the_same_countries() -> None:
    assert set(raw("it")["countries"]) == set(raw("en")["countries"])


# -- reproducibility ------------------------------------------------------------------------------

def test_build_script_reproduces_the_shipped_files(tmp_path: Path) -> None:
    babel = pytest.importorskip("babel")
    stamp = re.search(r"^# babel (\S+)$", (LANG_DIR / "countries.yaml").read_text(encoding="utf-8"), re.M)
    if stamp is None or stamp.group(1) != babel.__version__:
        pytest.skip("CLDR names come from another babel version than the shipped files")
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "tools" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for lang in LANGS:
        (tmp_path / lang).mkdir()
    module.build(tmp_path)
    for name in ("countries.yaml", "it/places.yaml", "en/places.yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8") == \
            (LANG_DIR / name).read_text(encoding="utf-8"), name


# -- the seed articles ------------------------------------------------------------------------

def test_seed_articles_name_the_gold_countries() -> None:
    """Every country of the seeds' gold actors is named in the text by a gazetteer form (bodies
    such as MSMT are described there, not named)."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"shared seeds not found at {SHARED}")
    text = " ".join(p.read_text(encoding="utf-8").replace("’", "'")
                    for p in sorted((SHARED / "seeds").glob("*.txt")))
    found: dict[str, set[str]] = defaultdict(set)
    for entry in load_places(get_language("it")):
        if re.search(r"(?<!\w)" + re.escape(entry.text) + r"(?!\w)", text):
            found[entry.country].add(entry.text)
    countries, gold = set(raw("it")["countries"]), set()
    for line in (SHARED / "data" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        for event in json.loads(line).get("events", []) if line.strip() else ():
            for actor in (event.get("source"), event.get("target")):
                if actor and actor.get("country") in countries:
                    gold.add(actor["country"])
    assert gold and gold <= set(found)
    assert {"Kursk", "Vladivostok", "Kherson", "Donetsk", "Lugansk", "Zaporozhye"} <= found["RUS"] | found["UKR"]
