"""Segmentation into typed blocks, on invented layouts."""

from __future__ import annotations

import pytest

from pipeline.article import normalise
from pipeline.blocks import Block, compile_rules, segment
from pipeline.data import load_rules


@pytest.fixture(scope="module")
def layout():
    return compile_rules(load_rules().blocks)


def kinds(text: str, layout) -> list[tuple[str, str]]:
    text = normalise(text)
    return [(b.kind, text[b.start : b.end]) for b in segment(text, layout)]


@pytest.mark.parametrize(
    "caption",
    [
        "A boy sells bread in Kelmar, March 7 [AFP]",
        "A river crossing near Tolbek, 2012 [Jo Smith/AP]",
        "Traders close their shops in Kelmar (AFP via Getty Images)",
        "A rebel fighter in Tolbek after the city fell, March 8 (AFP/Getty)",
        "Smoke rises over Tolbek, which fell on March 7 [Getty Images]",
        "A man pushes a cart in Kelmar, which fell on 6 March. Photo: EPA",
        "Image caption, Fighters on a street in Kelmar on 9 March",
        "[Photo: Fighters patrol a street in Kelmar after the city fell. (AFP via Getty Images)]",
    ],
)
def test_blocks_caption_credit_styles(layout, caption: str) -> None:
    assert kinds(f"Headline\n\nBody text.\n\n{caption}\n", layout)[-1] == ("caption", caption)


def test_blocks_credit_line_makes_the_line_above_a_caption(layout) -> None:
    text = "Headline\n\nBody text.\n\nFighters stand in Kelmar, which fell on Monday.\nPhotograph: Reuters\n"
    assert [k for k, _ in kinds(text, layout)][-2:] == ["caption", "credit"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Read more: Why the army collapsed", "link"),
        ("Related: The offensive in maps", "link"),
        ("By JANE DOE and JOHN ROE", "byline"),
        ("14:05 GMT", "timestamp"),
        ("09.40 BST", "timestamp"),
        ("CAPTURED", "section_header"),
        ("Fighting for these capitals is ongoing as of March 11:", "section_header"),
        ("1. Kelmar (Northvale) - captured Mar. 6.", "list_item"),
        ("- Mar. 6 - KELMAR.", "list_item"),
        ("Kelmar, March 6: Rebels take over the city.", "list_item"),
        ("Capital | Province | Captured", "section_header"),
        ("kelmar: taken thurs night", "list_item"),  # short, but a head and what happened
        ("## How the north was lost", "section_header"),
        ("![Fighters in Kelmar](https://example.com/kelmar.jpg)", "caption"),
        ("[Read more: Why Kelmar matters](https://example.com/kelmar)", "link"),
        ("\u2192 read: why kelmar's fall on thursday mattered", "link"),
        ("KELMAR, Mar 12 (Wire) - Rebels took the city.", "paragraph"),
        ("KELMAR/TOLBEK, Zedland, Mar 12 (Wire) - Rebels took the city.", "paragraph"),  # not a list entry
    ],
)
def test_blocks_line_kinds(layout, line: str, kind: str) -> None:
    assert kinds(f"Headline\n\nBody text.\n\n{line}\n", layout)[-1][0] == kind


@pytest.mark.parametrize("header", ["Related Coverage", "More on this story", "Read more:", "See also"])
def test_blocks_the_items_under_a_related_header_are_links(layout, header: str) -> None:
    """The list a 'Related' line heads is links; the body after it is not."""
    text = f"Head\n\nBody.\n\n{header}\n- Rebels take Kelmar\n- Who are they?\n\n- Tolbek fell on Monday.\n"
    expected = ["headline", "paragraph", "link", "link", "link", "list_item"]
    assert [k for k, _ in kinds(text, layout)] == expected


def test_blocks_prose_with_double_spaces_is_no_table(layout) -> None:
    text = "Head\n\nKelmar fell on Monday.  Tolbek fell on Tuesday.  Rivane fell today.\n\nMore text here.\n"
    assert [k for k, _ in kinds(text, layout)] == ["headline", "paragraph", "paragraph"]


def test_blocks_a_one_sentence_article_is_not_a_headline(layout) -> None:
    assert kinds("Rebels captured Kelmar on Aug. 6.\n", layout) == [
        ("paragraph", "Rebels captured Kelmar on Aug. 6.")
    ]
    assert kinds("Rebels capture Kelmar\n\nBody.\n", layout)[0][0] == "headline"


def test_blocks_table_header_then_rows(layout) -> None:
    text = "Head\n\nBody.\n\nCapital\tStatus\tDate\nKelmar\tCaptured\t13/08/2030\n\nA | B | C\n"
    assert [k for k, _ in kinds(text, layout)] == [
        "headline",
        "paragraph",
        "section_header",
        "table_row",
        "section_header",
    ]
    row = segment(normalise(text), layout)[3]
    assert normalise(text)[row.start : row.head_end] == "Kelmar"


def test_blocks_section_header_is_parent_of_entries(layout) -> None:
    text = normalise("Head\n\nBody.\n\nCAPTURED\n\n1. Kelmar - Mar. 6.\n\n2. Tolbek - Mar. 7.\n")
    blocks: list[Block] = segment(text, layout)
    header = next(b for b in blocks if b.kind == "section_header")
    assert [b.parent for b in blocks if b.kind == "list_item"] == [header.index, header.index]


def test_blocks_list_head_and_dateline_prefix(layout) -> None:
    text = normalise(
        "Head\n\nKELMAR, Northvale (AP) \u2014 Rebels advanced.\n\nKelmar, March 6: Rebels took it.\n"
    )
    blocks = segment(text, layout)
    assert text[blocks[1].body_start : blocks[1].end] == "Rebels advanced."
    dated = normalise("Head\n\nKELMAR, Aug. 12, 2030 (Wire) - Rebels advanced.\n")
    assert dated[segment(dated, layout)[1].body_start :] == "Rebels advanced.\n"
    assert text[blocks[2].start : blocks[2].head_end] == "Kelmar, March 6"


def test_blocks_offsets_survive_crlf_and_wrapped_lines(layout) -> None:
    text = "Head\r\n\r\nA long paragraph that wraps\r\nonto a second line.\r\n"
    (head, para) = segment(normalise(text), layout)
    assert text[para.start : para.end] == "A long paragraph that wraps\r\nonto a second line."


@pytest.mark.parametrize(
    "first",
    [
        "Rebels entered Kelmar on 6 March 2030.[1]",
        "Rebels entered Kelmar on 6 March 2030. [2] [3]",
        'Rebels said the city was "free."',
    ],
)
def test_blocks_a_sentence_end_before_markers_or_quotes_is_not_a_headline(layout, first: str) -> None:
    assert kinds(f"{first}\n\nMore text.\n", layout)[0][0] == "paragraph"
    assert kinds(f"Head\n\n{first}\n\nMore text.\n", layout)[1][0] == "paragraph"
