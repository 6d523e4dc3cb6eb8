"""The spaCy component: a factory any pipeline can add, spans and records on the Doc, saved
and loaded with its data, in parallel, and shown with displaCy."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy import displacy

from pipeline import Extractor

TEXT = "Head\n\nRebels captured Kelmar on March 2, 2030. Fighting continues in Tolbek."


@pytest.fixture
def nlp(tiny_gazetteer: Path) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("capital_status").initialize(gazetteer=str(tiny_gazetteer))
    return nlp


def labelled(doc) -> list[tuple[str, str, str]]:
    return [(s.label_, s.text, s.id_) for s in doc.spans["capitals"]]


def test_component_factory_comes_from_the_entry_point(tiny_gazetteer: Path) -> None:
    """A fresh interpreter that never imported the package finds the factory by name."""
    code = (
        "import sys, spacy; nlp = spacy.blank('en'); nlp.add_pipe('capital_status')"
        f".initialize(gazetteer={str(tiny_gazetteer)!r}); "
        "doc = nlp('Rebels captured Kelmar on March 2.'); "
        "print(sorted(s.label_ for s in doc.spans['capitals'])); print('pipeline' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['date', 'place', 'status']", "True"]


def test_component_spans_and_records_match_the_extractor(nlp, tiny: Extractor) -> None:
    doc = nlp(TEXT)
    assert labelled(doc) == [
        ("status", "captured", "fallen.capture"),
        ("place", "Kelmar", "ZZ-NV"),
        ("date", "March 2, 2030", "absolute.month_day_year"),
        ("status", "Fighting", "contested.fighting"),
        ("place", "Tolbek", "ZZ-EM"),
    ]
    assert doc._.capital_records == tiny.extract_text(TEXT, doc_id="doc")
    for record in doc._.capital_records:
        assert doc.text[record.evidence.start : record.evidence.end] == record.evidence.text


def test_component_runs_after_other_components(tiny_gazetteer: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    nlp.add_pipe("capital_status").initialize(gazetteer=str(tiny_gazetteer))
    ruler.add_patterns([{"label": "ORG", "pattern": "Rebels"}])
    doc = nlp(TEXT)
    assert [(e.label_, e.text) for e in doc.ents] == [("ORG", "Rebels")]
    assert len(list(doc.sents)) >= 2 and len(doc._.capital_records) == 2


def test_component_reads_doc_id_and_publication_date(nlp) -> None:
    doc = nlp.make_doc("Rebels captured Kelmar on March 2.")
    doc._.doc_id, doc._.published = "wire-7", "2030-03-14"
    (record,) = nlp(doc)._.capital_records
    assert (record.doc_id, record.published, record.date) == ("wire-7", "2030-03-14", "2030-03-02")
    doc = nlp.make_doc("Rebels captured Kelmar on March 2.")
    doc._.published = dt.date(2031, 1, 1)
    assert nlp(doc)._.capital_records[0].date == "2030-03-02"  # March 2 before the publication date


def test_component_round_trips_with_its_gazetteer_and_rules(tiny_gazetteer: Path, tmp_path: Path) -> None:
    places = shutil.copytree(tiny_gazetteer, tmp_path / "places")
    nlp = spacy.blank("en")
    nlp.add_pipe("capital_status", config={"spans_key": "found"}).initialize(
        gazetteer=str(places), country="ZZ"
    )
    expected = nlp(TEXT)
    nlp.to_disk(tmp_path / "model")
    shutil.rmtree(places)  # the saved pipeline needs nothing but itself
    assert (tmp_path / "model" / "capital_status" / "gazetteer" / "zz.jsonl").exists()
    assert (tmp_path / "model" / "capital_status" / "rules" / "status.jsonl").exists()
    loaded = spacy.load(tmp_path / "model")
    assert loaded.get_pipe("capital_status").extractor.sources.country == "ZZ"
    doc = loaded(TEXT)
    assert [(s.label_, s.text, s.id_) for s in doc.spans["found"]] == [
        (s.label_, s.text, s.id_) for s in expected.spans["found"]
    ]
    assert doc._.capital_records == expected._.capital_records
    loaded.to_disk(tmp_path / "again")  # a loaded pipeline saves again
    assert spacy.load(tmp_path / "again")(TEXT)._.capital_records == expected._.capital_records


def test_component_pipe_in_two_processes(nlp) -> None:
    texts = [TEXT, "Head\n\nPort Ardin fell to the rebels on March 3, 2030.", "Nothing here."] * 3
    serial = [(labelled(d), d._.capital_records) for d in nlp.pipe(texts)]
    parallel = [(labelled(d), d._.capital_records) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert parallel == serial and [len(records) for _, records in serial[:3]] == [2, 1, 0]


def test_component_evidence_shows_in_displacy(nlp) -> None:
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "capitals"})
    for label in ("place", "status", "date"):
        assert label in html
    assert "Kelmar" in html and "Tolbek" in html


def test_component_without_data_says_how_to_load_it() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("capital_status")
    with pytest.raises(ValueError, match=r"call nlp.initialize\(\)"):
        nlp("Rebels captured Kelmar.")
