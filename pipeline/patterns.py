"""Check a rule's regular expression before it runs: it must compile, stay short, and have
none of the shapes that make a backtracking matcher slow beyond measure on a long line.

Rejected, with what to write instead:
- a repeat of a part that ends in a repeat able to take the part's first character, so
  that a run of text can be split between them in exponentially many ways: `(a+)+`,
  `(\\w+\\s?)*`, `(\\s*,\\s*)+`;
- a repeat of a part that can match nothing: `(a*)*`;
- in a pattern searched for anywhere in a line (no `^`), an unbounded repeat at its start
  followed by more: `\\s*\\|` tries the whole run of spaces from each of its positions.

Bounded repeats (`{0,60}`) and possessive ones (`a++`, `(?>...)`) are fine. This is a
check of shapes, not a proof: the time limit per article stays the last guard.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN = 500  # characters
SAMPLE = [chr(n) for n in range(9, 127)] + ["\u00a0", "\u2028", "\u00e9", "\u4e2d"]
REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT)
ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)


def _category(name: Any, ch: str) -> bool:
    tests = {
        c.CATEGORY_DIGIT: ch.isdigit,
        c.CATEGORY_SPACE: ch.isspace,
        c.CATEGORY_WORD: lambda: ch.isalnum() or ch == "_",
        c.CATEGORY_LINEBREAK: lambda: ch == "\n",
    }
    opposite = {
        c.CATEGORY_NOT_DIGIT: c.CATEGORY_DIGIT,
        c.CATEGORY_NOT_SPACE: c.CATEGORY_SPACE,
        c.CATEGORY_NOT_WORD: c.CATEGORY_WORD,
        c.CATEGORY_NOT_LINEBREAK: c.CATEGORY_LINEBREAK,
    }
    if name in opposite:
        return not tests[opposite[name]]()
    return tests[name]() if name in tests else True


def _one(op: Any, av: Any, ch: str) -> bool:
    """Whether the single-character item (op, av) matches ch (case aside)."""
    if op is c.LITERAL:
        return ch.lower() == chr(av).lower()
    if op is c.NOT_LITERAL:
        return ch.lower() != chr(av).lower()
    if op is c.IN:
        negate, hit = False, False
        for item, value in av:
            if item is c.NEGATE:
                negate = True
            elif item is c.LITERAL:
                hit = hit or ch.lower() == chr(value).lower()
            elif item is c.RANGE:
                hit = hit or any(value[0] <= ord(x) <= value[1] for x in (ch, ch.lower(), ch.upper()))
            elif item is c.CATEGORY:
                hit = hit or _category(value, ch)
            else:
                hit = True
        return hit != negate
    return True  # ANY and whatever else: assume it may


def _first(seq: Any) -> tuple[set[str], bool]:
    """The characters a match of `seq` can start with, and whether it can match nothing."""
    out: set[str] = set()
    for op, av in seq:
        chars, empty = _first_item(op, av)
        out |= chars
        if not empty:
            return out, False
    return out, True


def _first_item(op: Any, av: Any) -> tuple[set[str], bool]:
    if op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY):
        return {ch for ch in SAMPLE if _one(op, av, ch)}, False
    if op is c.SUBPATTERN:
        return _first(av[-1])
    if op is c.ATOMIC_GROUP:
        return _first(av)
    if op is c.BRANCH:
        found = [_first(branch) for branch in av[1]]
        return set().union(*(f for f, _ in found)), any(e for _, e in found)
    if op in (*REPEATS, c.POSSESSIVE_REPEAT):
        chars, empty = _first(av[2])
        return chars, empty or av[0] == 0
    if op in ZERO_WIDTH:
        return set(), True
    return set(SAMPLE), True  # a back reference, a conditional: anything


def _tails(seq: Any) -> list[set[str]]:
    """For each repeat of variable length that can end a match of `seq`, the characters
    that could continue it."""
    out: list[set[str]] = []
    for op, av in reversed(seq):
        tails, empty = _tails_item(op, av)
        out += tails
        if not empty:
            break
    return out


def _tails_item(op: Any, av: Any) -> tuple[list[set[str]], bool]:
    if op is c.SUBPATTERN:
        return _tails(av[-1]), _first(av[-1])[1]
    if op is c.BRANCH:
        return [t for branch in av[1] for t in _tails(branch)], any(_first(b)[1] for b in av[1])
    if op in REPEATS:
        lo, hi, body = av
        chars, empty = _first(body)
        own = [chars] if lo < hi else []
        return own + _tails(body), empty or lo == 0
    if op in ZERO_WIDTH:
        return [], True
    return [], False  # a character, or a possessive or atomic part: it never gives back


def _nested(seq: Any) -> str | None:
    for op, av in seq:
        if op in REPEATS and av[1] > 1:
            start, empty = _first(av[2])
            if empty and av[1] == c.MAXREPEAT:
                return "a repeated part can match nothing, as in (a*)*"
            if any(start & tail for tail in _tails(av[2])):
                return "a repeated part ends in a repeat that can take its start, as in (a+)+ or (\\w+\\s?)*"
        for inner in _children(op, av):
            if problem := _nested(inner):
                return problem
    return None


def _children(op: Any, av: Any) -> list[Any]:
    if op is c.SUBPATTERN:
        return [av[-1]]
    if op is c.BRANCH:
        return list(av[1])
    if op in (*REPEATS, c.POSSESSIVE_REPEAT):
        return [av[2]]
    if op in (c.ATOMIC_GROUP,):
        return [av]
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [av[1]]
    return []


def _leading_run(seq: Any) -> bool:
    """An unbounded repeat at the start of a pattern searched anywhere, with more after it."""
    items = list(seq)
    n = 0
    while n < len(items) and items[n][0] in ZERO_WIDTH:
        if items[n] == (c.AT, c.AT_BEGINNING) or items[n] == (c.AT, c.AT_BEGINNING_STRING):
            return False  # anchored: tried at one place only
        n += 1
    if n == len(items):
        return False
    op, av = items[n]
    if op is c.SUBPATTERN:
        return _leading_run([*av[-1], *items[n + 1 :]])
    rest = items[n + 1 :]
    return op in REPEATS and av[1] == c.MAXREPEAT and not _first(rest)[1]


def problem(pattern: str, searched: bool = True) -> str | None:
    """What is wrong with `pattern` as a rule, or None. `searched`: it is looked for
    anywhere in a line, not only at its start."""
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters; a rule's pattern may have {MAX_PATTERN}"
    try:
        re.compile(pattern)
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression ({exc})"
    if found := _nested(parsed):
        return f"may take exponential time: {found}; use a bounded repeat such as {{0,40}}"
    if searched and _leading_run(parsed):
        return "may take quadratic time on a long line: it starts with an unbounded repeat; drop it or add ^"
    return None
