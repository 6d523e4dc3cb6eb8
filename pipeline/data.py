"""Pydantic models and validating loaders for the data files: gazetteer and rules.

Every loader reports problems as `file:line: field: message` so a broken entry can be
found and fixed without reading code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    field_validator,
    model_validator,
)
from spacy.schemas import validate_token_pattern

from pipeline.errors import DataFileError, InputError
from pipeline.files import read_capped
from pipeline.patterns import problem

Model = TypeVar("Model", bound=BaseModel)
MAX_DATA_BYTES = 20_000_000  # a gazetteer or rule file; the shipped ones are under 100 KB


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GazetteerEntry(Strict):
    """One province and its capital (one line of `gazetteer/<cc>.jsonl`)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    province_iso: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    former_iso: list[str] = []  # codes ISO 3166-2 gave this province before ("IQ-TS" for IQ-KI)
    province: str = Field(min_length=2)
    province_aliases: list[str] = []
    capital: str | None = Field(min_length=2)  # null: no seat of its own (disputed, or another's); see note
    capital_aliases: list[str] = []
    note: str | None = None  # why `capital` is null, or anything else a reader must know
    geonames_id: int | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    near_words: list[str] = []  # ordinary words one typo from a name: never read as this place
    cased: list[str] = []  # names that are ordinary English words: matched only as written ("Unity")

    @model_validator(mode="after")
    def _seat_or_note(self) -> GazetteerEntry:
        if self.capital is None and (self.capital_aliases or not self.note):
            raise ValueError("a province without a capital has no capital_aliases and a note saying why")
        names = {self.province, *self.province_aliases, *self.capital_aliases}
        if self.capital is not None:
            names.add(self.capital)
        unknown = [name for name in self.cased if name not in names]
        if unknown:
            raise ValueError(f"cased names must be names of this province or its capital: {unknown}")
        return self

    def names(self) -> dict[str, list[str]]:
        """Label -> names: the capital's (none where there is no seat) and the province's."""
        capital = [self.capital, *self.capital_aliases] if self.capital is not None else []
        return {"CAPITAL": capital, "PROVINCE": [self.province, *self.province_aliases]}


class Actor(Strict):
    """A side in a country's war: who gains a city decides whether it fell or was retaken."""

    name: str = Field(min_length=2)  # canonical: what records say
    aliases: list[str] = []
    side: Literal["government", "attacker", "other"]  # other: neither, but not the government
    inter: int | None = Field(default=None, ge=1, le=8)  # ACLED actor type (1 state forces, ...)

    @field_validator("aliases")
    @classmethod
    def _words(cls, aliases: list[str]) -> list[str]:
        if any(not alias.strip() for alias in aliases):
            raise ValueError("an alias is a name, not blank")
        return aliases


class Country(Strict):
    """A country's names in the news and the sides of its war (`<gazetteer>/actors/<cc>.json`)."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    names: list[str] = Field(min_length=1)
    # the province whose seat is the national capital: what "the capital" alone names
    capital: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    note: str = ""
    actors: list[Actor] = []

    @model_validator(mode="after")
    def _own_capital(self) -> Country:
        if self.capital is not None and not self.capital.startswith(self.country + "-"):
            raise ValueError(f"capital: {self.capital} is not a province of {self.country}")
        return self


class TokenRule(Strict):
    """A spaCy token pattern with an id, in spaCy's `{"label", "pattern", "id"}` shape."""

    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    label: str
    pattern: list[dict[str, Any]] = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _valid_pattern(cls, pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
        problems = validate_token_pattern(pattern)
        problems += [f"REGEX {regex!r} {found}" for regex in _regexes(pattern) if (found := problem(regex))]
        if problems:
            raise ValueError("; ".join(problems))
        return pattern


def _regexes(value: object) -> list[str]:
    """The REGEX values anywhere in a token pattern: {"LOWER": {"REGEX": "..."}}."""
    if isinstance(value, dict):
        own = [v for k, v in value.items() if k == "REGEX" and isinstance(v, str)]
        return own + [r for v in value.values() for r in _regexes(v)]
    if isinstance(value, list):
        return [r for v in value for r in _regexes(v)]
    return []


class StatusRule(TokenRule):
    """A status trigger. `target` says where the place stands relative to the trigger."""

    label: Literal["fallen", "contested", "retaken", "held", "sequel", "idiom"]
    target: Literal["subject", "object", "either", "context"]
    state: bool = False  # a lasting state: "since <date>" dates its start
    alone: bool = False  # counts only when nothing but a date follows it in its clause
    # where the actor that gains the city stands, in the order looked at (see sides.gainer)
    gainer: list[Literal["inside", "next", "after", "before", "speaker"]] = ["inside", "after", "before"]
    # where the actor that loses the city stands ('the militants were driven out of'), if the
    # rule says; its side then decides the status (see sides.status_for_loser)
    loser: list[Literal["inside", "next", "after", "before"]] = []
    # counts only when the sentence names who gains ("actor") or the government leaves ("government")
    needs: Literal["actor", "government"] | None = None
    # what the trigger says when the government's side does it ('troops entered the city': a retake)
    by_government: Literal["retaken"] | None = None
    # what it says when its sentence says no one resisted ('entered the city without a fight': a fall)
    unopposed: Literal["fallen"] | None = None
    # a noun ('the fall of'): a modal on the verb after its object hedges it ('... will likely worsen')
    nominal: bool = False
    # the pattern holds the verb's own object ('planted their flag'): what follows says where
    has_object: bool = False
    # an entry or an approach ('entered', 'reached the gates of'): on the day the city falls,
    # how it fell, not fighting of its own
    approach: bool = False
    # a retake by driving the attackers out ('drove them out'): on the day they attacked a city
    # the article never says fell, it repels an attack and retakes nothing
    repels: bool = False


class CueRule(TokenRule):
    """A word or phrase that changes how nearby triggers, places or blocks are read."""

    label: Literal[
        "negation",
        "modality",
        "partial",
        "noncity",
        "claim",
        "denial",
        "rumour",
        "correction",
        "report",
        "actor",
        "city_anaphor",
        "province_capital",
        "capital_word",
        "province_word",
        "summary",
        "clause_break",
        "not_target",
        "preposition",
        "passive",
        "relative",
        "coordination",
        "seat",
        "object_preposition",
        "count",
        "aside",
        "place_suffix",
        "landmark",
        "city_part",
        "unopposed",
        "onset",
        "past",
        "agent",
        "gain_lead",
        "leaver",
        "period",
        "backdrop",
        "purpose",
        "infinitive",
        "outlying",
        "prior",
        "finite",
        "list_lead",
        "header_status",
        "collective",
        "origin",
        "rural",
        "pluperfect",
        "period_word",
        "time_clause",
        "perfect",
        "partitive",
        "object_filler",
        "settlement",
        "locative",
        "time_lead",
        "determiner",
        "wh_question",
        "object_pronoun",
        "possessive",
        "declare",
        "name_joiner",
        "day_preposition",
        "copula",
        "look_ahead",
        "span_end",
        "unreached",
        "defector",
        "month_lead",
        "contrast",
        "quarter",
    ]


class DateRule(TokenRule):
    """A date expression. `offset` is in days, relative to the anchor its label names."""

    label: Literal["absolute", "weekday", "relative", "anaphoric", "month_day", "month", "vague"]
    offset: int = 0
    anchor: bool = True  # later anaphora ("the same day") count from it; not so for "now"
    # the offset for a status told before the expression: 'Tolbek fell, the day after they took
    # Kelmar' dates the taking (-1), but 'Tolbek was taken the day after Kelmar fell' (+1) Tolbek
    offset_for_status_before: int | None = None
    # read on from where the story had reached, even where a new section starts it again
    # ('That May', 'the following April': after December, the next May)
    onward: bool = False


class BlockRules(Strict):
    """Regular expressions (language and layout only) used to segment an article."""

    caption_credit_end: list[str]
    credit_line: list[str]
    caption_prefix: list[str]
    link_line: list[str]
    link_header: list[str]  # a line of its own that heads a list of links ('Related Coverage')
    byline: list[str]
    timestamp: list[str]
    dateline: list[str]
    list_bullet: list[str]
    list_head: list[str]
    table_separator: list[str]
    aligned_columns: list[str]  # table columns lined up with spaces: only where the next line agrees
    heading: list[str]

    @field_validator("*")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if found := problem(pattern):
                raise ValueError(f"{pattern!r} {found}")
        return patterns


class DateSettings(Strict):
    """How dates are read: day/month order for numeric dates, grace for dates just ahead."""

    date_order: Literal["DMY", "MDY", "YMD"] = "DMY"
    future_grace_days: int = Field(default=2, ge=0, le=31)
    months: dict[str, int] = {}  # month names read directly; any other date goes to dateparser
    ordinal_suffixes: list[str] = []  # "6th": with the day numbers, the <day> word class
    years: tuple[int, int] = (1900, 2100)  # the <year> word class

    @field_validator("months")
    @classmethod
    def _month_numbers(cls, months: dict[str, int]) -> dict[str, int]:
        bad = {name: n for name, n in months.items() if not 1 <= n <= 12}
        if bad:
            raise ValueError(f"month numbers must be 1-12: {bad}")
        return months


class Numbers(RootModel[dict[str, int]]):
    """Number words, for stated counts ("nine capitals have fallen")."""


class WordClasses(RootModel[dict[str, list[str] | str]]):
    """Word classes: {"<ordinal>": ["first", ...]}; "_comment" keys are notes."""

    @field_validator("root")
    @classmethod
    def _names(cls, classes: dict[str, list[str] | str]) -> dict[str, list[str] | str]:
        for name, words in classes.items():
            if name.startswith("_"):
                continue
            if not re.fullmatch(r"<[a-z_]+>", name) or isinstance(words, str) or not all(words):
                raise ValueError(f"{name!r}: a class is '<name>': [words]")
        return classes

    def words(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.root.items() if not k.startswith("_") and isinstance(v, list)}


def date_classes(settings: DateSettings) -> dict[str, list[str]]:
    """<month>, <day> and <year>, from the date settings."""
    days = [form for day in range(1, 32) for form in sorted({str(day), f"{day:02d}"})]
    return {
        "<month>": list(settings.months),
        "<day>": days + [day + suffix for day in days for suffix in settings.ordinal_suffixes],
        "<year>": [str(year) for year in range(settings.years[0], settings.years[1] + 1)],
    }


class Abbreviations(Strict):
    """Abbreviations with a full stop that does not end a sentence ('prov.', 'Sat.')."""

    comment: str = Field(default="", alias="_comment")
    abbreviations: list[str] = Field(min_length=1)

    @field_validator("abbreviations")
    @classmethod
    def _dotted(cls, words: list[str]) -> list[str]:
        bad = [w for w in words if not w.endswith(".") or " " in w or len(w) < 2]
        if bad:
            raise ValueError(f"an abbreviation is one word ending in a full stop: {bad}")
        return words


class NameEndings(Strict):
    """Endings that make a word of a place's name ('Misratan', 'Homsi'): such a word is
    never read as a typo of the name."""

    comment: str = Field(default="", alias="_comment")
    demonym_endings: list[str] = Field(min_length=1)

    @field_validator("demonym_endings")
    @classmethod
    def _letters(cls, endings: list[str]) -> list[str]:
        bad = [e for e in endings if not e.isalpha() or e != e.lower()]
        if bad:
            raise ValueError(f"an ending is lower-case letters: {bad}")
        return endings


class Rules(Strict):
    numbers: dict[str, int]
    groups: list[str]  # words that name an armed group whatever the war ("rebels"): <group>
    abbreviations: list[str]
    demonym_endings: list[str]  # 'Misratan': no typo of 'Misrata'
    classes: dict[str, list[str]]  # all word classes, the date ones included
    status: list[StatusRule]
    cues: list[CueRule]
    dates: list[DateRule]
    blocks: BlockRules
    date_settings: DateSettings


def _describe(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(entry)"
    return field, first["msg"]


def _read(source: Path | Traversable) -> str:
    """A data file's text: a file of the user's is read as a regular file, with a cap."""
    name = str(source)
    try:
        if isinstance(source, Path):
            return read_capped(source, MAX_DATA_BYTES, "data files").decode("utf-8")
        return source.read_text(encoding="utf-8")
    except InputError as exc:
        raise DataFileError(exc.where, exc.message) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(name, f"cannot read data file ({exc})") from exc


def _json(text: str, where: str) -> object:
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise DataFileError(where, "nested too deeply; a data file is a few levels deep") from exc


def load_jsonl(source: Path | Traversable, model: type[Model]) -> list[Model]:
    """Read one model per non-blank line; comments start with `//`."""
    name = str(source)
    text = _read(source)
    entries: list[Model] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{name}:{lineno}"
        try:
            raw = _json(line, where)
        except json.JSONDecodeError as exc:
            raise DataFileError(where, f"not valid JSON ({exc.msg}); one object per line") from exc
        try:
            entries.append(model.model_validate(raw))
        except ValidationError as exc:
            field, msg = _describe(exc)
            raise DataFileError(where, msg, field) from exc
    return entries


def load_json(source: Path | Traversable, model: type[Model]) -> Model:
    name = str(source)
    try:
        raw = _json(_read(source), name)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{name}:{exc.lineno}", f"not valid JSON ({exc.msg})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        field, msg = _describe(exc)
        raise DataFileError(name, msg, field) from exc


def _unique_ids(entries: Iterable[TokenRule], name: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise DataFileError(name, f"rule id {entry.id!r} is used twice; ids must be unique", "id")
        seen.add(entry.id)


def load_rules(folder: Path | Traversable | None = None) -> Rules:
    """Load the rule files; by default the ones shipped in `pipeline/rules`."""
    base = folder if folder is not None else resources.files("pipeline.rules")
    status = load_jsonl(base / "status.jsonl", StatusRule)
    if not status:
        raise DataFileError(str(base / "status.jsonl"), "has no rules; without triggers nothing is found")
    cues = load_jsonl(base / "cues.jsonl", CueRule)
    dates = load_jsonl(base / "dates.jsonl", DateRule)
    for name, entries in (("status.jsonl", status), ("cues.jsonl", cues), ("dates.jsonl", dates)):
        _unique_ids(entries, str(base / name))
    date_settings = load_json(base / "date_settings.json", DateSettings)
    classes = {**load_json(base / "classes.json", WordClasses).words(), **date_classes(date_settings)}
    groups = classes.pop("<group>", [])  # completed by the actor lists: see nlp.group_words
    seen: dict[str, str] = {}
    for name, words in classes.items():
        for word in words:
            if seen.setdefault(word.lower(), name) != name:
                raise DataFileError(
                    str(base / "classes.json"), f"{word!r} is in {seen[word.lower()]} and {name}"
                )
    return Rules(
        numbers=load_json(base / "numbers.json", Numbers).root,
        groups=groups,
        abbreviations=load_json(base / "abbreviations.json", Abbreviations).abbreviations,
        demonym_endings=load_json(base / "names.json", NameEndings).demonym_endings,
        classes=classes,
        status=status,
        cues=cues,
        dates=dates,
        blocks=load_json(base / "blocks.json", BlockRules),
        date_settings=date_settings,
    )


def shipped_gazetteer() -> Traversable:
    """The gazetteer that ships with the package: the default wherever the tool runs."""
    return resources.files("pipeline.gazetteer")


def load_countries(paths: Iterable[Path | Traversable], provinces: Collection[str] = ()) -> list[Country]:
    """Countries and their actors, from the `actors/<cc>.json` files beside each gazetteer
    folder given; a country listed twice, or a national capital that is none of
    `provinces` (when given), is an error."""
    countries: list[Country] = []
    seen: dict[str, str] = {}
    for path in paths:
        folder = path / "actors"
        if not path.is_dir() or not folder.is_dir():
            continue
        for file in sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name):
            country = load_json(file, Country)
            if country.country in seen:
                where = seen[country.country]
                raise DataFileError(str(file), f"{country.country} is already in {where}", "country")
            seen[country.country] = str(file)
            if provinces and country.capital is not None and country.capital not in provinces:
                raise DataFileError(str(file), f"{country.capital} is in no gazetteer loaded", "capital")
            countries.append(country)
    return countries


def load_gazetteer(paths: Iterable[Path | Traversable]) -> list[GazetteerEntry]:
    """Load `<cc>.jsonl` files, or every `*.jsonl` file of the folders given, in order."""
    files: list[Path | Traversable] = []
    for path in paths:
        if not path.is_file() and not path.is_dir():
            raise DataFileError(str(path), "gazetteer not found; pass --gazetteer PATH")
        found = [path] if path.is_file() else [f for f in path.iterdir() if f.name.endswith(".jsonl")]
        if not found:
            raise DataFileError(str(path), "no *.jsonl gazetteer files in this folder")
        files += sorted(found, key=lambda f: f.name)
    entries: list[GazetteerEntry] = []
    seen: dict[str, str] = {}
    for file in files:
        for entry in load_jsonl(file, GazetteerEntry):
            if entry.province_iso in seen:
                raise DataFileError(
                    str(file),
                    f"{entry.province_iso} is already defined in {seen[entry.province_iso]}",
                    "province_iso",
                )
            seen[entry.province_iso] = str(file)
            entries.append(entry)
    if not entries:
        raise DataFileError(str(path), "has no entries; without places nothing is found")
    return entries
