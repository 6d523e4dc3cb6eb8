"""Extract records of provincial capitals fallen, contested or retaken from news articles.

Data flows one way: article (text) -> blocks -> spans -> records.

    from pipeline import Extractor
    extractor = Extractor.load()  # the shipped gazetteer and rules
    records = extractor.extract_path(Path("corpus/article.txt"))
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.language import Language

from pipeline.article import Article, from_text, read_article
from pipeline.assemble import assemble, find_dateline
from pipeline.blocks import Compiled, compile_rules, segment
from pipeline.country import Countries, decide, restrict
from pipeline.data import GazetteerEntry, Rules, load_countries, load_gazetteer, load_rules, shipped_gazetteer
from pipeline.dates import DateParsing, make_resolver
from pipeline.nlp import build_nlp
from pipeline.records import Record
from pipeline.spans import spans_of, view_article

__all__ = ["Extractor", "Extraction", "Record", "Article", "Sources"]
__version__ = "0.1.0"


def _code_digest() -> str:
    """A hash of the package's own code: outputs made by other code are stale."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("pipeline")
    for name in sorted(f.name for f in package.iterdir() if f.name.endswith(".py")):
        digest.update(name.encode() + (package / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Extraction:
    records: list[Record]
    warnings: list[str]


@dataclass(frozen=True)
class Sources:
    """Where an Extractor's data comes from: enough to build the same one in a worker.
    `gazetteer` replaces the shipped gazetteer (places, and countries and actors in its
    `actors/` folder), `add` adds files or folders to it, `rules` is a folder replacing the
    shipped rule files, `country` is the country every article is read as being about."""

    gazetteer: Path | None = None
    add: tuple[Path, ...] = ()
    rules: Path | None = None
    country: str | None = None


@dataclass(frozen=True)
class Extractor:
    """Everything built once per run: rules, gazetteer, the nlp and the date parser."""

    rules: Rules
    gazetteer: dict[str, GazetteerEntry]
    countries: Countries
    nlp: Language
    layout: Compiled
    parsing: DateParsing
    fingerprint: str  # of the gazetteer, rules and code: outputs made otherwise are stale
    sources: Sources

    @classmethod
    def load(
        cls,
        gazetteer: Path | None = None,
        rules: Path | None = None,
        add: Sequence[Path] = (),
        country: str | None = None,
    ) -> Extractor:
        """The shipped gazetteer and rules unless told otherwise (see `Sources`)."""
        sources = Sources(gazetteer, tuple(add), rules, country)
        loaded = load_rules(rules)
        folders = [gazetteer or shipped_gazetteer(), *add]
        entries = load_gazetteer(folders)
        countries = load_countries(folders)
        dumped = [loaded.model_dump(), [e.model_dump() for e in entries], [c.model_dump() for c in countries]]
        data = json.dumps([*dumped, country], sort_keys=True)
        return cls(
            fingerprint=hashlib.sha256((_code_digest() + data).encode()).hexdigest(),
            rules=loaded,
            gazetteer={e.province_iso: e for e in entries},
            countries=Countries.build(countries, loaded.groups),
            nlp=build_nlp(entries, loaded, countries),
            layout=compile_rules(loaded.blocks),
            parsing=DateParsing.from_settings(loaded.date_settings),
            sources=sources,
        )

    def extract(self, article: Article) -> list[Record]:
        return self.run(article).records

    def run(self, article: Article, forget_new_words: bool = False) -> Extraction:
        """Records and warnings (such as a stated count the records do not match). Long
        batches set `forget_new_words` once the vocabulary holds the common words, so that
        memory stays flat (see spans.find_spans)."""
        blocks = segment(article.norm, self.layout)
        v = view_article(self.nlp, article, forget_new_words)
        country = decide(v, self.sources.country)
        spans = list(spans_of(restrict(v, country), blocks))
        published = article.published
        resolver = make_resolver(published, self.rules.date_settings, self.rules.dates, self.parsing)
        if published is None:
            published = find_dateline(spans, article.norm, resolver)
            resolver = make_resolver(published, self.rules.date_settings, self.rules.dates, self.parsing)
        status_rules = {r.id: r for r in self.rules.status}
        records, warnings = assemble(
            article,
            spans,
            self.gazetteer,
            resolver,
            status_rules,
            self.rules.numbers,
            self.countries,
            country,
        )
        warnings = [*article.notes, *warnings]
        if published is None and any(r.date_precision == "day_no_year" for r in records):
            warnings.append(
                f"{article.path}: no publication date; dates without a year are given as --MM-DD "
                "(pass --published YYYY-MM-DD)"
            )
        return Extraction(records, warnings)

    def extract_path(self, path: Path, published: dt.date | None = None) -> list[Record]:
        return self.extract(read_article(path, published))

    def extract_text(self, text: str, doc_id: str = "text", published: dt.date | None = None) -> list[Record]:
        return self.extract(from_text(text, doc_id, published))
