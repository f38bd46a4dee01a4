"""Ranking of free-text look-ups and virtual paths."""

from __future__ import annotations

import pytest

from intentos.device import search, vpath

PEOPLE = [
    ("Harbor Mutual Insurance", "car insurance company"),
    ("Pinecrest Health Insurance", "health insurance"),
    ("John Smith", "neighbour"),
    ("Jon Smith", "client"),
    ("Johnny Smithers", "friend"),
]


def _names(expression: str) -> list[str]:
    return [name for name, _ in search.best_matches(expression, PEOPLE, list)]


@pytest.mark.parametrize(
    ("expression", "first"),
    [
        ("my insurance company", "Harbor Mutual Insurance"),
        ("health insurance", "Pinecrest Health Insurance"),
        ("John Smith", "John Smith"),
        ("Jon Smith", "Jon Smith"),
        ("smithers", "Johnny Smithers"),
        ("HARBOR", "Harbor Mutual Insurance"),
    ],
)
def test_best_match_comes_first(expression: str, first: str) -> None:
    assert _names(expression)[0] == first


def test_complete_matches_hide_partial_ones() -> None:
    assert _names("insurance company") == ["Harbor Mutual Insurance"]


def test_nothing_matches() -> None:
    assert _names("plumber") == []


def test_filler_words_alone_still_search() -> None:
    assert search.query_words("my the") == ["my", "the"]


def test_words_split_snake_and_camel_case() -> None:
    assert search.words("car_title-subaruOutback2019.pdf") == [
        "car", "title", "subaru", "outback2019", "pdf",
    ]  # fmt: skip


def test_plural_and_prefix_matches() -> None:
    assert search.score("titles", ["car title"]) == 1.0
    assert 0 < search.score("insur", ["insurance"]) < 1.0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("~", "/home/a"),
        ("~/Documents", "/home/a/Documents"),
        ("notes.txt", "/home/a/work/notes.txt"),
        ("../x", "/home/a/x"),
        ("/../../etc/passwd", "/etc/passwd"),
        ("", "/home/a/work"),
        ("//double//slash/", "/double/slash"),
    ],
)
def test_virtual_paths_are_normalised(path: str, expected: str) -> None:
    assert vpath.normalize(path, cwd="/home/a/work", home="/home/a") == expected


def test_ancestors_and_containment() -> None:
    assert vpath.ancestors("/a/b/c") == ["/", "/a", "/a/b"]
    assert vpath.is_inside("/a/b", "/a")
    assert not vpath.is_inside("/ab", "/a")
    assert vpath.is_inside("/anything", "/")


@pytest.mark.parametrize("group", search.SYNONYM_GROUPS, ids=lambda g: "-".join(sorted(g)))
def test_synonyms_match_each_other(group: frozenset[str]) -> None:
    for word in group:
        for other in group - {word}:
            assert search.score(word, [other]) == search.SYNONYM_SCORE


def test_the_word_itself_beats_a_synonym() -> None:
    ranked = search.rank("car title", ["vehicle title", "car title"], lambda text: [text])
    assert [text for _, text in ranked] == ["car title", "vehicle title"]


# -- a look-up that can find nothing ----------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "fields", "found"),
    [
        ("boat registration", ["car registration 2026"], False),  # 1 of 2 words: 0.5
        ("car registration", ["car registration 2026"], True),
        ("last electricity bill", ["dental invoice 2025"], False),  # "last" is a qualifier
        ("electricity bill", ["electric bill february"], True),  # 0.3 + 1.0 of 2 words
        ("tax return 2024", ["tax return 2023"], True),  # 2 of 3 words
        ("insur", ["Harbor Mutual Insurance"], True),  # one word as a prefix: 0.6
    ],
)
def test_lookup_needs_min_score_of_the_query(
    expression: str, fields: list[str], found: bool
) -> None:
    assert bool(search.lookup(expression, [fields], list)) is found
    assert search.best_matches(expression, [fields], list)  # the loose ranking still finds it


def test_min_score_is_what_the_docstring_states() -> None:
    assert search.MIN_SCORE == 0.6
    assert "0.6" in (search.__doc__ or "")


@pytest.mark.parametrize(("british", "american"), sorted(search.SPELLING_VARIANTS.items()))
def test_british_and_american_spellings_find_each_other(british: str, american: str) -> None:
    assert search.score(british, [f"the {american}"]) == search.score(american, [american + " x"])
    assert search.lookup(american, [[british]], list) == [[british]]
    assert search.lookup(british + "s", [[american]], list) == [[american]]


def test_tied_best_lists_the_rivals() -> None:
    ranked = search.rank("insurance", [name for name, _ in PEOPLE], lambda text: [text])
    assert search.tied_best(ranked) == ["Harbor Mutual Insurance", "Pinecrest Health Insurance"]
    assert search.tied_best([]) == []


@pytest.mark.parametrize(
    ("expression", "kind", "focused"),
    [
        ("dentist appointment", "event", "dentist"),
        ("meeting with Katherine", "event", "with Katherine"),
        ("meeting", "event", "meeting"),  # nothing else is left: the word stays
        ("the Fall Out Boy version of Beat It", "song", "the Fall Out Boy of Beat It"),
        ("Mr. Holloway", "contact", "Holloway"),
        ("Jordan’s phone number", "contact", "Jordan’s"),
        ("garage door code note", "note", "garage door code"),
        ("e-mail from the bank", "mail", "from the bank"),
    ],
)
def test_a_look_up_leaves_out_the_words_for_its_kind(
    expression: str, kind: str, focused: str
) -> None:
    assert search.focus(expression, kind) == focused


@pytest.mark.parametrize("text", ["Jordan's", "Jordan’s", "JORDAN'S"])
def test_a_possessive_is_the_name(text: str) -> None:
    assert search.words(text) == ["jordan"]
    assert search.lookup(f"{text} number", [["Jordan Morgan", "number"]], list)


@pytest.mark.parametrize("kind", sorted(search.KIND_WORDS))
def test_kind_words_are_lower_case_single_words(kind: str) -> None:
    words = search.KIND_WORDS[kind]
    assert all(word == word.lower() and word.replace("-", "").isalpha() for word in words)
