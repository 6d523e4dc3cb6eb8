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
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy import __version__ as spacy_version
from spacy.language import Language

from pipeline.article import Article, from_text, read_article
from pipeline.assemble import assemble
from pipeline.blocks import Compiled, compile_rules, segment
from pipeline.cache import Cache, default_folder
from pipeline.country import Countries, decide, restrict
from pipeline.data import GazetteerEntry, Rules, load_countries, load_gazetteer, load_rules, shipped_gazetteer
from pipeline.dateline import publication_date
from pipeline.dates import DateParsing, make_resolver
from pipeline.nlp import RuleMatcher, build_nlp
from pipeline.prefilter import FirstPass
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


def _phrase_cache(folder: Path | None, sources: Sources, made_from: str) -> Cache | None:
    """Where the phrasebook of these sources is kept: one file per set of data folders, so a
    changed gazetteer replaces its own file; valid only for what it was `made_from` (the
    data and the code) with the spaCy and the Python (Unicode tables) that made it."""
    if folder is None:
        return None
    where = [str(p.resolve()) if p else None for p in (sources.gazetteer, sources.rules, *sources.add)]
    slot = hashlib.sha256(json.dumps([str(shipped_gazetteer()), *where]).encode()).hexdigest()[:16]
    key = hashlib.sha256(json.dumps([made_from, spacy_version, sys.version]).encode()).hexdigest()
    return Cache(folder / f"phrases-{slot}.json", key)


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
    first_pass: FirstPass  # which articles can give anything: the others skip the nlp

    @classmethod
    def load(
        cls,
        gazetteer: Path | None = None,
        rules: Path | None = None,
        add: Sequence[Path] = (),
        country: str | None = None,
        cache_dir: Path | None = None,
    ) -> Extractor:
        """The shipped gazetteer and rules unless told otherwise (see `Sources`). What the
        tokenizer makes of the data is kept in `cache_dir` (default: `cache.default_folder`)
        and read back by the next load from the same data and code, if it can be."""
        sources = Sources(gazetteer, tuple(add), rules, country)
        loaded = load_rules(rules)
        folders = [gazetteer or shipped_gazetteer(), *add]
        entries = load_gazetteer(folders)
        countries = load_countries(folders, {e.province_iso for e in entries})
        dumped = [loaded.model_dump(), [e.model_dump() for e in entries], [c.model_dump() for c in countries]]
        made_from = _code_digest() + json.dumps(dumped, sort_keys=True)
        cache = _phrase_cache(cache_dir or default_folder(), sources, made_from)
        nlp = build_nlp(entries, loaded, countries, cache)
        matcher: RuleMatcher = nlp.get_pipe("rule_matcher")
        counts = [c for c in loaded.cues if c.label == "count"]
        return cls(
            fingerprint=hashlib.sha256((made_from + json.dumps(country)).encode()).hexdigest(),
            rules=loaded,
            gazetteer={e.province_iso: e for e in entries},
            countries=Countries.build(countries, loaded.groups),
            nlp=nlp,
            layout=compile_rules(loaded.blocks),
            parsing=DateParsing.from_settings(loaded.date_settings),
            sources=sources,
            first_pass=FirstPass.build(nlp, matcher.place_phrases, loaded.status, counts, matcher.fuzzy),
        )

    def extract(self, article: Article) -> list[Record]:
        return self.run(article).records

    def run(self, article: Article, forget_new_words: bool = False, first_pass: bool = True) -> Extraction:
        """Records and warnings (such as a stated count the records do not match). Long
        batches set `forget_new_words` once the vocabulary holds the common words, so that
        memory stays flat (see spans.find_spans). An article that can give nothing (no place
        or no trigger: see prefilter) skips the nlp; `first_pass=False` reads it anyway."""
        if first_pass and not self.first_pass.needs_pipeline(article.norm):
            return Extraction([], list(article.notes))
        blocks = segment(article.norm, self.layout)
        v = view_article(self.nlp, article, forget_new_words)
        country = decide(v, self.sources.country)
        spans = list(spans_of(restrict(v, country), blocks))
        resolver = make_resolver(article.published, self.rules.date_settings, self.rules.dates, self.parsing)
        publication, spans = publication_date(article.published, spans, article.norm, resolver)
        published = publication.published
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
            publication.filed,
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
