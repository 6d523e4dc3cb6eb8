"""A spaCy component, so the extraction runs inside anyone's pipeline.

    nlp = spacy.blank("en")            # or any loaded pipeline
    nlp.add_pipe("capital_status")     # registered through the `spacy_factories` entry point
    nlp.initialize()                   # the shipped gazetteer and rules
    doc = nlp(text)
    doc.spans["capitals"]              # place, status and date mentions, each with its rule id
    doc._.capital_records              # the records, as `Extractor` gives them

The component runs the same `Extractor` as the command line on `doc.text`: the records
do not depend on the host pipeline's tokenizer, and their offsets index `doc.text`. The
gazetteer and rule files are read in `initialize` (or `from_disk`), never in the factory,
and `to_disk` writes them beside the pipeline, so `spacy.load` needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import Extractor
from pipeline.article import from_text
from pipeline.data import shipped_gazetteer
from pipeline.records import Record

RECORDS = "capital_records"  # doc.user_data key of the records (JSON), and the extension's name
GAZETTEER, RULES = "gazetteer", "rules"  # sub-folders written by to_disk
SETTINGS = "settings.json"  # the initialize settings that are not files


def _records(doc: Doc) -> list[Record]:
    return [Record.model_validate(r) for r in doc.user_data.get(RECORDS, [])]


def register_extensions() -> None:
    """doc._.capital_records (read only), and doc._.doc_id / doc._.published, which a caller
    may set before the component runs. Extensions someone else registered are left alone."""
    if not Doc.has_extension(RECORDS):
        Doc.set_extension(RECORDS, getter=_records)
    for name in ("doc_id", "published"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _tree(folder: Path | Traversable, suffixes: tuple[str, ...], prefix: str = "") -> dict[str, bytes]:
    """The data files under `folder`, sub-folders included: {"actors/af.json": b"..."}."""
    files: dict[str, bytes] = {}
    for f in folder.iterdir():
        if f.is_dir() and not f.name.startswith((".", "_")):
            files |= _tree(f, suffixes, f"{prefix}{f.name}/")
        elif f.is_file() and f.name.endswith(suffixes):
            files[prefix + f.name] = f.read_bytes()
    return files


def read_data(gazetteer: Path | None, rules: Path | None) -> dict[str, bytes]:
    """The gazetteer and rule files, as `to_disk` writes them: {"gazetteer/zz.jsonl": ...}."""
    if gazetteer is not None and gazetteer.is_file():
        places = {gazetteer.name: gazetteer.read_bytes()}
    else:
        places = _tree(gazetteer or shipped_gazetteer(), (".jsonl", ".json"))  # places, actors/*.json
    language = _tree(rules or resources.files("pipeline.rules"), (".json", ".jsonl"))
    return {
        **{f"{GAZETTEER}/{name}": data for name, data in places.items()},
        **{f"{RULES}/{name}": data for name, data in language.items()},
    }


class CapitalStatus:
    """Finds records with an `Extractor`; writes their mentions to `doc.spans[spans_key]`
    and the records to `doc._.capital_records`."""

    def __init__(self, name: str = "capital_status", spans_key: str = "capitals") -> None:
        self.name = name
        self.spans_key = spans_key
        self.extractor: Extractor | None = None
        self.files: dict[str, bytes] = {}  # the data the extractor was loaded from
        self.country: str | None = None
        register_extensions()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        gazetteer: str | None = None,
        rules: str | None = None,
        country: str | None = None,
    ) -> None:
        """Load a gazetteer (file or folder, with its `actors/`; default: the shipped one)
        and rules (a folder; default: the shipped ones). `country` reads every text as
        about that country, as `extract --country` does."""
        places, language = Path(gazetteer) if gazetteer else None, Path(rules) if rules else None
        self.extractor = Extractor.load(places, language, country=country)
        self.files = read_data(places, language)
        self.country = country

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.find(doc))
        return doc

    def find(self, doc: Doc) -> list[Record]:
        if self.extractor is None:
            raise ValueError(
                f"{self.name}: no gazetteer loaded; call nlp.initialize() (the shipped gazetteer) "
                f'or nlp.get_pipe("{self.name}").initialize(gazetteer="path/to/gazetteer")'
            )
        published = doc._.published
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return self.extractor.extract(from_text(doc.text, doc._.doc_id or "doc", published))

    def set_annotations(self, doc: Doc, records: list[Record]) -> None:
        """Each mention once, labelled place, status or date, with its rule id (the ISO
        code for a place) as the span id; snapped outward to the host's tokens."""
        spans: dict[tuple[int, int, str], Span] = {}
        for r in records:
            for label, ref in (("place", r.place_mention), ("status", r.trigger), ("date", r.date_mention)):
                if ref is None or (ref.start, ref.end, label) in spans:
                    continue
                span = doc.char_span(
                    ref.start, ref.end, label=label, alignment_mode="expand", span_id=ref.rule
                )
                if span is not None:
                    spans[ref.start, ref.end, label] = span
        doc.spans[self.spans_key] = sorted(spans.values(), key=lambda s: (s.start, s.end))
        doc.user_data[RECORDS] = [r.model_dump(mode="json") for r in records]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        for name, data in self.files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(data)
        (path / SETTINGS).write_text(json.dumps({"country": self.country}) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CapitalStatus:
        path = Path(path)
        settings = json.loads((path / SETTINGS).read_text(encoding="utf-8"))
        self.country = settings.get("country")
        self.extractor = Extractor.load(path / GAZETTEER, path / RULES, country=self.country)
        self.files = read_data(path / GAZETTEER, path / RULES)
        return self


@Language.factory("capital_status", default_config={"spans_key": "capitals"})
def make_capital_status(nlp: Language, name: str, spans_key: str) -> CapitalStatus:
    """The factory creates an empty component: data comes in `initialize` or `from_disk`."""
    return CapitalStatus(name, spans_key)
