"""Pure segmentation of an article into typed blocks with offsets and parents.

A block is one line (or several wrapped lines) of the article. Its kind decides whether it
can give records: captions, credits, links, bylines and headlines never do. Section
headers and live-blog timestamps are parents of the blocks under them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pipeline.data import BlockRules

BlockKind = Literal[
    "headline",
    "paragraph",
    "list_item",
    "table_row",
    "section_header",
    "timestamp",
    "caption",
    "credit",
    "link",
    "byline",
]
RECORD_KINDS: frozenset[str] = frozenset({"paragraph", "list_item", "table_row"})
ENTRY_KINDS: frozenset[str] = frozenset({"list_item", "table_row"})  # a line with heads of its own


@dataclass(frozen=True)
class Block:
    index: int
    kind: BlockKind
    start: int
    end: int
    body_start: int  # after a bullet or list number
    head_end: int | None  # list items: end of the head ("Zaranj, August 6")
    parent: int | None  # the section header or timestamp governing this block
    cells: tuple[tuple[int, int], ...] = ()  # table rows: cell offsets


@dataclass(frozen=True)
class Compiled:
    """The layout rules: one alternation per kind of line, except where a rule's own groups
    or the choice between rules matter (list heads, table separators)."""

    caption_credit_end: re.Pattern[str]
    credit_line: re.Pattern[str]
    caption_prefix: re.Pattern[str]
    link_line: re.Pattern[str]
    link_header: re.Pattern[str]
    byline: re.Pattern[str]
    timestamp: re.Pattern[str]
    dateline: re.Pattern[str]
    list_bullet: re.Pattern[str]
    heading: re.Pattern[str]
    list_head: tuple[re.Pattern[str], ...]
    table_separator: tuple[re.Pattern[str], ...]
    aligned_columns: tuple[re.Pattern[str], ...]


def compile_rules(rules: BlockRules) -> Compiled:
    one = {
        name: re.compile("|".join(f"(?:{p})" for p in pats) or "(?!)")
        for name, pats in rules
        if name not in ("list_head", "table_separator", "aligned_columns")
    }
    return Compiled(
        **one,
        list_head=tuple(re.compile(p) for p in rules.list_head),
        table_separator=tuple(re.compile(p) for p in rules.table_separator),
        aligned_columns=tuple(re.compile(p) for p in rules.aligned_columns),
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, line endings excluded."""
    spans = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        line = match.group().rstrip("\r\n")
        if match.start() == len(text) and not line:
            break
        spans.append((match.start(), match.start() + len(line)))
    return spans


def _any(patterns: tuple[re.Pattern[str], ...], line: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.search(line)
        if match:
            return match
    return None


def _is_header(line: str) -> bool:
    """Upper case, ends with a colon, a short question on a line of its own ('Which cities
    have fallen?'), or a few words with no sentence end and no digits."""
    words = len(line.split())
    shouting = words <= 8 and line.upper() == line and sum(c.isalpha() for c in line) >= 4
    label = words <= 4 and line[-1].isalpha() and not any(c.isdigit() for c in line)
    question = words <= 12 and line.endswith("?")
    return shouting or label or question or (line.endswith(":") and len(line) <= 160)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Join hard-wrapped lines: a line that does not end a sentence continues lower-case."""
    merged: list[tuple[int, int]] = []
    for start, end in _lines(text):
        content = text[start:end].strip()
        if not content:
            merged.append((start, start))
            continue
        if merged and merged[-1][1] > merged[-1][0]:
            last = merged[-1][1]  # the end of the text so far, found without copying it
            while last > merged[-1][0] and text[last - 1].isspace():
                last -= 1
            if last > merged[-1][0] and text[last - 1] not in ".!?:\"')]" and content[0].islower():
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return [(s, e) for s, e in merged if e > s]


_BREAK = re.compile(r"\r\n|\r|\n")
_MARKER = re.compile(r"\[(?:\d{1,3}|[a-z])\]$")  # a citation marker: '[3]', '[a]'


def _ends_sentence(line: str, ends: str = ".!?") -> bool:
    """The line ends a sentence, past citation markers and closing quotes: 'fell.[3]' and
    'said "war."' do, 'Rebels capture Kelmar' does not. The tail is read from the end, a few
    characters at a time, so no line is searched from every position."""
    end = len(line)
    while end:
        if line[end - 1] in ends:
            return True
        marker = _MARKER.search(line, max(end - 5, 0), end)
        if marker:
            end = marker.start()
            while end and line[end - 1] == " ":
                end -= 1
        elif line[end - 1] in "\"')]":
            end -= 1
        else:
            return False
    return False


_LABEL = re.compile(r"[A-Z][A-Z'-]{2,}(?: [^:;\n]{1,40}?)?:\s+")  # "CAPTURED: ", "NOT CAPTURED (selected): "


def _inline_entries(text: str, start: int, end: int, rules: Compiled) -> list[tuple[int, int]]:
    """A factbox written as running text ('CAPTURED: Zaranj, Nimroz prov.: captured Aug. 6;
    Sheberghan, ...: captured Aug. 7; ...'): its label and one piece per entry. A paragraph
    of fewer than three such entries stays whole."""
    pieces: list[tuple[int, int]] = []
    label = _LABEL.match(text, start, end)
    if label:
        pieces.append((start, label.end()))
    base = cursor = label.end() if label else start
    for match in re.finditer(";", text[base:end]):
        pieces.append((cursor, base + match.start()))
        cursor = base + match.end()
    pieces.append((cursor, end))
    entries = [p for p in pieces[1 if label else 0 :] if _any(rules.list_head, text[p[0] : p[1]].strip())]
    if len(entries) < 3 or len(entries) < 2 * (len(pieces) - bool(label)) / 3:
        return [(start, end)]
    return [_strip(text, s, e) for s, e in pieces if s < e]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cells(text: str, start: int, end: int, sep: re.Pattern[str]) -> tuple[tuple[int, int], ...]:
    """Offsets of the non-empty cells of a table row."""
    cells, cursor = [], start
    for match in sep.finditer(text, start, end):
        cells.append(_strip(text, cursor, match.start()))
        cursor = match.end()
    cells.append(_strip(text, cursor, end))
    return tuple((s, e) for s, e in cells if e > s)


def _split(sep: re.Pattern[str], line: str) -> list[str]:
    return [c for c in sep.split(line) if c.strip()]


def _table_separator(line: str, rules: Compiled, neighbours: list[str]) -> re.Pattern[str] | None:
    """A separator that splits the line into at least three cells. Columns lined up with
    spaces count only where a neighbouring line has as many short cells: prose with two
    spaces after its full stops is no table."""
    for sep in rules.table_separator:
        if len(_split(sep, line)) >= 3:
            return sep
    for sep in rules.aligned_columns:
        cells = _split(sep, line)
        if len(cells) >= 3 and max(map(len, cells)) <= 40:
            for other in neighbours:
                others = _split(sep, other)
                if len(others) == len(cells) and max(map(len, others)) <= 40:
                    return sep
    return None


def _neighbours(text: str, pieces: list[tuple[int, int]], n: int) -> list[str]:
    return [text[s:e] for s, e in pieces[max(n - 1, 0) : n] + pieces[n + 1 : n + 2]]


def segment(text: str, rules: Compiled) -> list[Block]:
    """Split `text` (normalised, same offsets as the original) into blocks."""
    blocks: list[Block] = []
    section: int | None = None
    entry: int | None = None
    in_body = False  # lines at the top with no sentence end are headline and standfirst
    pieces = [piece for s, e in _paragraphs(text) for piece in _inline_entries(text, s, e, rules)]
    for n, (start, end) in enumerate(pieces):
        start, end = _strip(text, start, end)
        if start == end:  # an empty entry: a factbox's closing "; "
            continue
        line = text[start:end]
        index = len(blocks)
        kind: BlockKind = "paragraph"
        body_start, head_end = start, None
        cells: tuple[tuple[int, int], ...] = ()
        if rules.link_line.search(line) or rules.link_header.search(line):
            kind = "link"
        elif _links_above(text, blocks, start) and rules.list_bullet.search(line):
            kind = "link"  # an item of the list a 'Related' line heads
        elif rules.credit_line.search(line):
            kind = "credit"
            if blocks and blocks[-1].kind == "paragraph":
                blocks[-1] = _replace_kind(blocks[-1], "caption")
        elif rules.caption_prefix.search(line) or rules.caption_credit_end.search(line):
            kind = "caption"
        elif rules.byline.search(line):
            kind = "byline"
        elif rules.timestamp.search(line):
            kind = "timestamp"
        elif rules.heading.search(line):
            kind = "section_header"
        elif not blocks and not _ends_sentence(line):  # a one-sentence article is not a headline
            kind = "headline"
        elif dateline := rules.dateline.search(line):
            body_start = start + dateline.end()
        elif bullet := rules.list_bullet.search(line):
            kind, body_start = "list_item", start + bullet.end()
            head = _any(rules.list_head, text[body_start:end])
            head_end = body_start + head.end(1) if head else None
        elif table := _table_separator(line, rules, _neighbours(text, pieces, n)):
            cells = _cells(text, start, end, table)
            above = blocks[-1] if blocks else None
            if above and above.cells and len(_BREAK.findall(text, above.end, start)) <= 1:
                kind, head_end = "table_row", cells[0][1] if cells else None
            else:  # a table's first row names its columns and sets the status of the rows
                kind = "section_header"
        elif (head := _any(rules.list_head, line)) and len(head.group(1).split()) <= 6:
            kind, head_end = "list_item", start + head.end(1)
        elif _is_header(line):
            kind = "section_header"
        elif not in_body and not _ends_sentence(line, ".!?\"'):"):
            kind = "headline"  # headline, kicker or standfirst above the body
        in_body = in_body or kind != "headline"
        parent = section
        if kind == "timestamp":
            entry = index
            parent = section
        elif kind == "section_header":
            section, parent = index, entry
        elif entry is not None and (section is None or section < entry):
            parent = entry
        blocks.append(Block(index, kind, start, end, body_start, head_end, parent, cells))
    return blocks


def _links_above(text: str, blocks: list[Block], start: int) -> bool:
    """The line right above (no blank line between) is a link or a 'Related' header."""
    above = blocks[-1] if blocks else None
    return above is not None and above.kind == "link" and len(_BREAK.findall(text, above.end, start)) <= 1


def _replace_kind(block: Block, kind: BlockKind) -> Block:
    return Block(block.index, kind, block.start, block.end, block.body_start, None, block.parent, ())
