"""The naive extractor that the README's accuracy figures compare against.

    .venv/bin/python ../shared/tools/score.py SET --cmd "python benchmarks/naive.py"

What anyone would write in an afternoon: a capital's name from the shipped gazetteer, a
trigger word in the same sentence, and `dateparser.search_dates` on that sentence (relative
to the publication date when there is one). One record per (capital, status), the first
date found. It takes the arguments `extract` takes from the scorer and prints JSONL.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime
from pathlib import Path

from dateparser.search import search_dates

GAZETTEER = Path(__file__).resolve().parent.parent / "gazetteer"
TRIGGERS = {
    "retaken": r"\b(retook|retaken|recaptur\w*|regain\w*|liberat\w*)\b",
    "fallen": r"\b(fell|fall|falls|fallen|captur\w*|seiz\w*|took|taken|overr[au]n)\b",
    "contested": r"\b(fighting|attack\w*|besieg\w*|siege|clash\w*|assault\w*|shell\w*)\b",
}
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def capitals() -> dict[str, str]:
    """Each spelling of a capital, lower-cased, to its province's ISO code."""
    names: dict[str, str] = {}
    for path in sorted(GAZETTEER.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                for name in [row["capital"], *row["capital_aliases"]]:
                    if name:  # a disputed seat has none
                        names[name.lower()] = row["province_iso"]
    return names


def extract(text: str, published: str | None) -> list[dict]:
    names = capitals()
    pattern = re.compile(
        r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b", re.I
    )
    settings: dict = {"PREFER_DATES_FROM": "past"}
    if published:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(published)
    seen: dict[tuple[str, str], dict] = {}
    for sentence in SENTENCE.findall(text):
        places = {names[m.group(1).lower()] for m in pattern.finditer(sentence)}
        statuses = [s for s, trigger in TRIGGERS.items() if re.search(trigger, sentence, re.I)]
        if not places or not statuses:
            continue
        found = search_dates(sentence, languages=["en"], settings=settings) or []
        date = found[0][1].date().isoformat() if found else None
        for iso in sorted(places):
            key = (iso, statuses[0])
            seen.setdefault(key, {"place": {"province_iso": iso}, "status": statuses[0], "date": date})
    return list(seen.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("--published")
    parser.add_argument("--format", default="jsonl")
    parser.add_argument("--output", default="-")
    args = parser.parse_args()
    for record in extract(args.article.read_text(encoding="utf-8"), args.published):
        print(json.dumps(record))


if __name__ == "__main__":
    main()
