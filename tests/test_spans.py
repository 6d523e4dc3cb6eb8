"""Place matching: spelling variants, case, diacritics, hyphens, spacing; context."""

from __future__ import annotations

import pytest

from pipeline import Extractor
from pipeline.article import from_text
from pipeline.blocks import segment
from pipeline.spans import find_spans


def places(extractor: Extractor, sentence: str) -> list[tuple[str, str, str]]:
    article = from_text("Head\n\n" + sentence, "t", None)
    out = []
    for spans in find_spans(extractor.nlp, article, segment(article.norm, extractor.layout)):
        out += [(p.rule, p.label, article.text[p.start : p.end]) for p in spans.places]
    return out


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Taluqan", "AF-TAK"),
        ("Taloqan", "AF-TAK"),
        ("Sar-e-Pul", "AF-SAR"),
        ("Sar-e Pul", "AF-SAR"),
        ("Sar-i-Pul", "AF-SAR"),
        ("Sari Pul", "AF-SAR"),
        ("Pul-e-Khumri", "AF-BGL"),
        ("Puli Khumri", "AF-BGL"),
        ("Pul-i-Khumri", "AF-BGL"),
        ("Faizabad", "AF-BDS"),
        ("Fayzabad", "AF-BDS"),
        ("Sheberghan", "AF-JOW"),
        ("Shibirghan", "AF-JOW"),
        ("Shiberghan", "AF-JOW"),
        ("Aibak", "AF-SAM"),
        ("Qala-i-Naw", "AF-BDG"),
        ("Qala i Naw", "AF-BDG"),
        ("Mazar i Sharif", "AF-BAL"),
        ("Mazar-e-Sharif", "AF-BAL"),
        ("Kandhar", "AF-KAN"),
        ("Lashkar-gah", "AF-HEL"),
        ("Lashkargah", "AF-HEL"),
        ("LASHKAR GAH", "AF-HEL"),
        ("Firozkoh", "AF-GHO"),
        ("Maimana", "AF-FYB"),
        ("Tarin Kowt", "AF-URU"),
        ("Tirin Kot", "AF-URU"),
        ("Tarinkot", "AF-URU"),
        ("Pul-e-Alam", "AF-LOG"),
        ("Herāt", "AF-HER"),
        ("kunduz", "AF-KDZ"),
    ],
)
def test_spans_spelling_variants(afghan: Extractor, name: str, iso: str) -> None:
    assert (iso, "capital") in {
        (r, label) for r, label, _ in places(afghan, f"Fighters reached {name} today.")
    }


def test_spans_province_or_city_by_context(afghan: Extractor) -> None:
    assert places(afghan, "Fighting in Kunduz province.") == [("AF-KDZ", "province", "Kunduz")]
    assert places(afghan, "Fighting in Kunduz.") == [("AF-KDZ", "capital", "Kunduz")]
    assert places(afghan, "the capital of northern Samangan province") == [
        ("AF-SAM", "capital", "capital of northern Samangan")
    ]
    assert [p[:2] for p in places(afghan, "the provincial capitals of Ghor and Uruzgan")] == [
        ("AF-GHO", "capital"),
        ("AF-URU", "capital"),
    ]
    assert places(afghan, "Balkh's capital fell.")[0][:2] == ("AF-BAL", "capital")
    assert places(afghan, "Kunduz city was quiet.") == [("AF-KDZ", "capital", "Kunduz city")]


def test_spans_non_capitals_and_words_are_not_places(afghan: Extractor) -> None:
    unrelated = (
        "The harvest came late this year. Farmers in the valley said the rains had fallen heavily, "
        "the river overran its banks and the market square was taken over by traders selling melons, "
        "almonds, carpets and bread. A teacher who fled the capital said the city was calm. "
        "Prices rose by a third; officials said they would hold talks on Monday, Aug. 9."
    ) * 20
    assert places(afghan, unrelated) == []
    assert places(afghan, "Spin Boldak and Islam Qala border crossings fell.") == []


@pytest.mark.parametrize(
    ("typo", "iso"),
    [("Kandahaar", "AF-KAN"), ("Jalalbad", "AF-NAN"), ("Shebergahn", "AF-JOW"), ("KUNDUZZ", "AF-KDZ")],
)
def test_spans_one_typo_in_a_capitalised_name_is_forgiven(afghan: Extractor, typo: str, iso: str) -> None:
    assert [(r, label) for r, label, _ in places(afghan, f"Fighters reached {typo} today.")] == [
        (iso, "capital")
    ]


@pytest.mark.parametrize(
    "word",
    ["Taliban", "Taleban", "Ghani", "Garden", "Balkan", "Badges", "Nimrod", "Layman", "kandahaar", "Herats"],
)
def test_spans_ordinary_words_near_a_name_are_not_places(afghan: Extractor, word: str) -> None:
    """Known words one typo from a name, lower-case words and short names get no typo."""
    assert places(afghan, f"The {word} spoke on Monday.") == []


@pytest.mark.parametrize("word", ["Kelmarn", "Kelmari", "Kelmaari"])
def test_spans_a_word_for_a_place_s_people_is_no_typo_of_it(tiny, word: str) -> None:
    """'Misratan brigades': a name plus a demonym ending (rules/names.json) is no typo of the
    name, though another spelling of it ('Kelmaar') is one letter away too."""
    assert places(tiny, f"The {word} militias spoke on Monday.") == []
    assert places(tiny, "The Kelmarr militias spoke on Monday.") != []


def test_spans_no_places_in_long_irrelevant_text(afghan: Extractor) -> None:
    """Python's own documentation (about 460,000 characters of English that has nothing to
    do with Afghanistan) gives no place, exact or one typo away."""
    import pydoc_data.topics

    text = "\n\n".join(pydoc_data.topics.topics.values())
    assert len(text) > 400_000
    assert places(afghan, text) == []


def test_spans_a_province_before_whose_capital_names_its_capital(tiny) -> None:
    records = tiny.extract_text(
        "Head\n\nNorthvale, whose capital the rebels seized on 3 March 2030, is quiet now."
    )
    assert [(r.place.province_iso, r.status, r.date) for r in records] == [("ZZ-NV", "fallen", "2030-03-03")]
    assert records[0].place_mention.text == "Northvale"


@pytest.mark.parametrize(
    "text",
    [
        "Rebels seized 70 sites in the provinces of Emberland and Rivane on 3 March 2030.",
        "Fighting spread in Rivane and Emberland provinces on 3 March 2030.",
    ],
)
def test_spans_a_list_of_provinces_names_provinces(tiny, text: str) -> None:
    assert tiny.extract_text("Head\n\n" + text) == []


@pytest.mark.parametrize("feature", ["river", "River", "valley", "lake"])
def test_spans_a_name_that_names_a_river_or_valley_is_not_a_place(tiny, feature: str) -> None:
    assert places(tiny, f"Rebels crossed the Tolbek {feature} near Kelmar.") == [
        ("ZZ-NV", "capital", "Kelmar")
    ]


def test_spans_the_city_is_not_a_river_named_after_another_city(tiny: Extractor) -> None:
    text = (
        "Headline\n\nRebels attacked Kelmar, where the Tolbek river meets the sea. "
        "Soldiers in the city were still fighting on Monday."
    )
    records = tiny.extract_text(text, published=None)
    assert {r.place.province_iso for r in records} == {"ZZ-NV"}
