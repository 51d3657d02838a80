"""The query language: explicit cases for each rule, then properties over any text."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import (
    FILTER_FIELDS,
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    And,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    describe,
    parse_query,
)


def term(text):
    return Term(text)


def phrase(*words):
    return Phrase(words)


def prefix(text):
    return Term(text, prefix=True)


def all_of(*nodes):
    return And(nodes)


def any_of(*nodes):
    return Or(nodes)


def words_in(node):
    match node:
        case None:
            return []
        case Term(text):
            return [text]
        case Phrase(words):
            return list(words)
        case Not(inner):
            return words_in(inner)
        case And(nodes) | Or(nodes):
            return [word for child in nodes for word in words_in(child)]


def nodes_in(node):
    yield node
    match node:
        case Not(inner):
            yield from nodes_in(inner)
        case And(nodes) | Or(nodes):
            for child in nodes:
                yield from nodes_in(child)


def has_note(parsed, fragment):
    return any(fragment in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        (
            "facial recognition retention",
            all_of(term("facial"), term("recognition"), term("retention")),
        ),
        ("Facial RECOGNITION", all_of(term("facial"), term("recognition"))),
        ("retention, deletion.", all_of(term("retention"), term("deletion"))),
        ("face-recognition", phrase("face", "recognition")),
        ("section 10.5", all_of(term("section"), phrase("10", "5"))),
        ("Überwachung café", all_of(term("überwachung"), term("café"))),
        ("監視 カメラ", all_of(term("監視"), term("カメラ"))),
        # Vowel signs are combining marks, not letters, yet they are part of the word.
        ("निगरानी", term("निगरानी")),
        # Fullwidth ALPR and the ligature ﬁ, as phones and CJK keyboards type them.
        ("\uff21\uff2c\uff30\uff32 \ufb01le", all_of(term("alpr"), term("file"))),
        ("and or not", all_of(term("and"), term("or"), term("not"))),
        ("retention retention", term("retention")),
    ],
)
def test_words(raw, root):
    assert parse_query(raw).root == root


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        ('"license plate reader"', phrase("license", "plate", "reader")),
        ("“license plate” reader", all_of(phrase("license", "plate"), term("reader"))),
        ('"Stop AND Frisk"', phrase("stop", "and", "frisk")),
        ('"retention"', term("retention")),
        ('"face-recognition software"', phrase("face", "recognition", "software")),
    ],
)
def test_phrases(raw, root):
    assert parse_query(raw) == ParsedQuery(root=root)


def test_an_unbalanced_quote_runs_to_the_end_as_a_phrase():
    parsed = parse_query('drones "license plate')
    assert parsed.root == all_of(term("drones"), phrase("license", "plate"))
    assert has_note(parsed, "quote left open")


@pytest.mark.parametrize("raw", ['""', "“ ”", '" , "'])
def test_empty_quotes_are_ignored_with_a_note(raw):
    parsed = parse_query(f"drones {raw}")
    assert parsed.root == term("drones")
    assert has_note(parsed, "empty quotes")


def test_a_star_inside_quotes_is_ignored_with_a_note():
    parsed = parse_query('"surveil* camera"')
    assert parsed.root == phrase("surveil", "camera")
    assert has_note(parsed, "inside quotes")


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        ("alpr OR drone", any_of(term("alpr"), term("drone"))),
        # OR binds tighter than implicit AND, as on Google.
        ("a b OR c", all_of(term("a"), any_of(term("b"), term("c")))),
        ("a OR b c", all_of(any_of(term("a"), term("b")), term("c"))),
        ("a OR b AND c", all_of(any_of(term("a"), term("b")), term("c"))),
        ("a AND b", all_of(term("a"), term("b"))),
        (
            '(alpr OR "license plate") retention',
            all_of(any_of(term("alpr"), phrase("license", "plate")), term("retention")),
        ),
        ("(a b) OR c", any_of(all_of(term("a"), term("b")), term("c"))),
        ("a OR (b OR c)", any_of(term("a"), term("b"), term("c"))),
        ("a (b (c d))", all_of(term("a"), term("b"), term("c"), term("d"))),
        ("(((a)))", term("a")),
        ("a OR a", term("a")),
    ],
)
def test_operators_and_grouping(raw, root):
    assert parse_query(raw) == ParsedQuery(root=root)


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        ("-drone", Not(term("drone"))),
        ("NOT drone", Not(term("drone"))),
        ('-"license plate"', Not(phrase("license", "plate"))),
        ("-face-recognition", Not(phrase("face", "recognition"))),
        ("-(alpr OR drone)", Not(any_of(term("alpr"), term("drone")))),
        ("NOT (a b)", Not(all_of(term("a"), term("b")))),
        ("-a -b", all_of(Not(term("a")), Not(term("b")))),
        ("cameras -drone", all_of(term("cameras"), Not(term("drone")))),
        ("NOT a OR b", any_of(Not(term("a")), term("b"))),
        ("NOT NOT a", term("a")),
        ("-surveil*", Not(prefix("surveil"))),
        ("-AND", Not(term("and"))),
    ],
)
def test_negation(raw, root):
    assert parse_query(raw) == ParsedQuery(root=root)


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        ("surveil*", prefix("surveil")),
        ("surveil**", prefix("surveil")),
        ("surveil*, cameras", all_of(prefix("surveil"), term("cameras"))),
        ("ÜBER*", prefix("über")),
        ("al*", prefix("al")),
    ],
)
def test_prefixes(raw, root):
    assert parse_query(raw) == ParsedQuery(root=root)


@pytest.mark.parametrize("raw", ["*", "**", "drone *", "drone ** *"])
def test_a_lone_star_is_dropped_with_a_note(raw):
    parsed = parse_query(raw)
    assert parsed.root == (term("drone") if "drone" in raw else None)
    assert has_note(parsed, "did not follow a word")


def test_a_prefix_needs_two_characters():
    parsed = parse_query("a* drones")
    assert parsed.root == all_of(term("a"), term("drones"))
    assert has_note(parsed, "too short")


@pytest.mark.parametrize(
    ("raw", "root"),
    [("*surveil", term("surveil")), ("face-recog*", phrase("face", "recog"))],
)
def test_a_star_not_ending_a_single_word_is_ignored_with_a_note(raw, root):
    parsed = parse_query(raw)
    assert parsed.root == root
    assert parsed.notes


@pytest.mark.parametrize(
    ("raw", "filters"),
    [
        ("agency:police", {"agency": ("police",)}),
        ("technology:alpr", {"technology": ("alpr",)}),
        ("vendor:flock-safety", {"vendor": ("flock-safety",)}),
        ("kind:use_policy", {"kind": ("use_policy",)}),
        ("year:2025", {"year": ("2025",)}),
        ("year:\uff12\uff10\uff12\uff15", {"year": ("2025",)}),
        ('agency:"Police  Department"', {"agency": ("police department",)}),
        ("agency:“police department”", {"agency": ("police department",)}),
        ("AGENCY:Police", {"agency": ("police",)}),
        ("agency:police.", {"agency": ("police",)}),
        ("agency:police agency:fire agency:police", {"agency": ("police", "fire")}),
        ("agency:police OR agency:fire", {"agency": ("police", "fire")}),
        ("(agency:police) kind:contract", {"agency": ("police",), "kind": ("contract",)}),
        ("NOT NOT agency:police", {"agency": ("police",)}),
    ],
)
def test_filters_match_everything_when_alone(raw, filters):
    assert parse_query(raw) == ParsedQuery(root=None, filters=filters)


def test_filters_are_taken_out_of_the_text():
    parsed = parse_query("retention agency:police (alpr OR technology:drone)")
    assert parsed.root == all_of(term("retention"), term("alpr"))
    assert parsed.filters == {"agency": ("police",), "technology": ("drone",)}
    assert not parsed.notes


@pytest.mark.parametrize("value", ["abc", "25", "20255", "2020-2024"])
def test_a_year_must_be_four_digits(value):
    parsed = parse_query(f"drones year:{value}")
    assert parsed == ParsedQuery(
        root=term("drones"), notes=(f"Year filter '{value}' is not a year",)
    )


@pytest.mark.parametrize("raw", ["agency:", 'agency:""', "agency:..."])
def test_an_empty_filter_is_ignored_with_a_note(raw):
    parsed = parse_query(f"drones {raw}")
    assert parsed.root == term("drones")
    assert parsed.filters == {}
    assert has_note(parsed, "empty agency")


@pytest.mark.parametrize("raw", ["agency:[*", "vendor:flock*", "kind:a:b", 'agency:"x (y)"'])
def test_a_filter_value_that_is_not_a_name_is_ignored_with_a_note(raw):
    parsed = parse_query(raw)
    assert parsed.filters == {}
    assert parsed.notes


@pytest.mark.parametrize("raw", ["-agency:police", "NOT agency:police", "-(agency:police)"])
def test_a_filter_cannot_be_excluded(raw):
    parsed = parse_query(f"{raw} drones")
    assert parsed.root == term("drones")
    assert parsed.filters == {}
    assert has_note(parsed, "cannot be excluded")


def test_an_unusable_filter_after_a_minus_does_not_negate_the_next_word():
    assert parse_query("-year:abc drones").root == term("drones")


@pytest.mark.parametrize(
    ("raw", "root"),
    [
        ("foo:bar", phrase("foo", "bar")),
        ("title:[* TO *]", all_of(term("title"), term("to"))),
        ("field:value~2", phrase("field", "value", "2")),
        ("retention^3", phrase("retention", "3")),
        ('{"query": {"match_all": {}}}', all_of(term("query"), phrase("match", "all"))),
        (r"a\b/c", phrase("a", "b", "c")),
        ("a && b || !c", all_of(term("a"), term("b"), term("c"))),
        ("+required", term("required")),
        ("_id:1", phrase("id", "1")),
    ],
)
def test_engine_syntax_becomes_plain_words(raw, root):
    assert parse_query(raw).root == root


@pytest.mark.parametrize(
    ("raw", "root", "note"),
    [
        ("AND", None, "Ignored a stray AND"),
        ("AND drones", term("drones"), "Ignored a stray AND"),
        ("drones AND", term("drones"), "Ignored a stray AND"),
        ("a AND AND b", all_of(term("a"), term("b")), "Ignored a stray AND"),
        ("OR", None, "Ignored a stray OR"),
        ("OR OR x", term("x"), "Ignored a stray OR"),
        ("a OR OR b", any_of(term("a"), term("b")), "Ignored a stray OR"),
        ("a OR", term("a"), "Ignored a stray OR"),
        ("(a OR) b", all_of(term("a"), term("b")), "Ignored a stray OR"),
        ("NOT", None, "Ignored a stray NOT"),
        ("a NOT", term("a"), "Ignored a stray NOT"),
        ("NOT OR a", term("a"), "Ignored a stray NOT"),
        ("-", None, "Ignored a stray -"),
        ("a - b", all_of(term("a"), term("b")), "Ignored a stray -"),
        ("()", None, "Ignored empty ()"),
        ("a () b", all_of(term("a"), term("b")), "Ignored empty ()"),
        ("-() a", term("a"), "Ignored empty ()"),
        ("a) b", all_of(term("a"), term("b")), "Ignored an unmatched )"),
        ("(a OR b", any_of(term("a"), term("b")), "Closed a ( left open"),
        ("a OR (b c", any_of(term("a"), all_of(term("b"), term("c"))), "Closed a ( left open"),
    ],
)
def test_stray_syntax_is_dropped_with_a_note(raw, root, note):
    parsed = parse_query(raw)
    assert parsed.root == root
    assert has_note(parsed, note)


def test_parentheses_nested_too_deep_are_ignored():
    raw = "(" * (MAX_NESTING + 5) + "a OR b" + ")" * (MAX_NESTING + 5) + " c"
    parsed = parse_query(raw)
    assert parsed.root == all_of(any_of(term("a"), term("b")), term("c"))
    assert has_note(parsed, "nested more than")


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\x00\x01", "!?", "agency:police year:2024"])
def test_a_query_without_words_matches_everything(raw):
    assert parse_query(raw).root is None


def test_control_characters_are_removed():
    parsed = parse_query("re\x00ten\x07tion\u200d\tdrones\u200bcameras\ufeff")
    assert parsed == ParsedQuery(root=all_of(term("retention"), term("drones"), term("cameras")))


def test_a_long_query_is_truncated_at_a_word_boundary():
    raw = "drone " * (MAX_QUERY_LENGTH // 6) + "retention policies"
    assert len(raw) > MAX_QUERY_LENGTH
    parsed = parse_query(raw)
    assert parsed.root == term("drone")
    assert has_note(parsed, f"first {MAX_QUERY_LENGTH} characters")


def test_only_the_first_terms_are_kept():
    words = [f"w{number}" for number in range(MAX_TERMS + 10)]
    parsed = parse_query(" ".join(words))
    assert words_in(parsed.root) == words[:MAX_TERMS]
    assert has_note(parsed, f"first {MAX_TERMS} words")


def test_phrase_words_count_towards_the_limit():
    raw = " ".join(f"w{number}" for number in range(MAX_TERMS - 1)) + ' "last phrase words"'
    parsed = parse_query(raw)
    assert len(words_in(parsed.root)) == MAX_TERMS
    assert parsed.root.nodes[-1] == term("last")


def test_a_canonical_form_longer_than_the_limit_is_shortened():
    # Lower-casing İ doubles its length, so the canonical form outgrows the input.
    words = ["İ" * 28 + letter for letter in "abcdefghijklmnopqrstuvwxyzæøåðþß"]
    raw = " ".join(words)
    assert len(raw) <= MAX_QUERY_LENGTH
    parsed = parse_query(raw)
    canonical = describe(parsed)
    assert len(canonical) <= MAX_QUERY_LENGTH
    assert canonical.startswith(words[0].lower())
    assert parse_query(canonical).root == parsed.root
    assert parsed.notes == (f"Shortened the search to fit {MAX_QUERY_LENGTH} characters",)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Facial  Recognition", "facial recognition"),
        ("a b OR c", "a (b OR c)"),
        ("(a b) OR c", "(a b) OR c"),
        ("NOT alpr", "-alpr"),
        ("-(a OR b) c", "-(a OR b) c"),
        ("NOT (a b)", "-(a b)"),
        ("face-recognition surveil*", '"face recognition" surveil*'),
        ("“license plate”", '"license plate"'),
        (
            'year:2024 agency:"Police Department" drones kind:contract agency:fire',
            'drones agency:"police department" agency:fire kind:contract year:2024',
        ),
        ("", ""),
    ],
)
def test_describe_renders_the_canonical_query(raw, canonical):
    assert describe(parse_query(raw)) == canonical


def test_describe_renders_a_bare_tree():
    assert describe(all_of(term("a"), any_of(prefix("bc"), Not(phrase("d", "e"))))) == (
        'a (bc* OR -"d e")'
    )
    assert describe(None) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "drone " * 2000,
        "(" * 10_000,
        '"' * 10_000,
        "a OR " * 2000,
        "NOT " * 2500,
        "-" * 10_000,
        "ﬃ" * 10_000,
        "﷽" * 10_000,
        "agency:x " * 1200,
        "x" * 10_000,
        "*" * 10_000,
        "\x00" * 10_000,
    ],
)
def test_a_ten_kilobyte_query_is_cut_to_length_and_says_so(raw):
    # The cut comes first, so no pattern of operators, quotes or marks can make parsing
    # work on more than MAX_QUERY_LENGTH characters (speed is measured in bench/search.py).
    parsed = parse_query(raw)
    assert has_note(parsed, f"first {MAX_QUERY_LENGTH} characters")
    assert len(describe(parsed)) <= MAX_QUERY_LENGTH


# --- Properties over any text ------------------------------------------------------------

SYNTAX_FRAGMENTS = [
    "AND",
    "OR",
    "NOT",
    "and",
    "(",
    ")",
    '"',
    "“",
    "”",
    "„",
    "-",
    "*",
    "**",
    ":",
    "agency:",
    "technology:",
    "vendor:",
    "kind:",
    "year:",
    "Year:2024",
    "foo:bar",
    "title:[* TO *]",
    "field:value~2",
    '{"query": {"match_all": {}}}',
    "^2",
    "\\",
    "/",
    "[",
    "]",
    "{",
    "}",
    "~",
    "&&",
    "||",
    "İ",
    "ﬃ",
    "﷽",
    "\u0301",
    "\u200b",
    "\x00",
    " ",
    "\n",
]

any_character = st.one_of(
    st.characters(codec=None),
    st.integers(min_value=0xD800, max_value=0xDFFF).map(chr),
)
word = st.text(alphabet=st.characters(categories=["L", "N", "M"]), min_size=1, max_size=12)
piece = st.one_of(
    st.sampled_from(SYNTAX_FRAGMENTS), word, st.text(alphabet=any_character, max_size=8)
)
query_like = st.lists(piece, max_size=60).map("".join)
huge = st.tuples(query_like, st.integers(min_value=1, max_value=10_000)).map(
    lambda repeated: (repeated[0] * repeated[1])[:12_000]
)
any_input = st.one_of(st.text(alphabet=any_character), query_like, huge)


def assert_well_formed(parsed):
    assert isinstance(parsed, ParsedQuery)
    assert all(isinstance(note, str) and note for note in parsed.notes)
    assert set(parsed.filters) <= set(FILTER_FIELDS)
    for name, values in parsed.filters.items():
        assert isinstance(values, tuple)
        assert values
        assert all(isinstance(value, str) and value for value in values)
        if name == "year":
            assert all(len(value) == 4 and value.isascii() and value.isdigit() for value in values)
    assert len(words_in(parsed.root)) <= MAX_TERMS
    for node in nodes_in(parsed.root) if parsed.root is not None else ():
        assert isinstance(node, Term | Phrase | Not | And | Or)
        match node:
            case Term(text, is_prefix):
                assert_is_word(text)
                assert not is_prefix or len(text) >= 2
            case Phrase(words):
                assert len(words) >= 2
                for phrase_word in words:
                    assert_is_word(phrase_word)
            case Not(inner):
                assert not isinstance(inner, Not)
            case And(children) | Or(children):
                assert len(children) >= 2
                assert len(set(children)) == len(children)
                assert not any(isinstance(child, type(node)) for child in children)


def assert_is_word(text):
    """Letters and digits, and the combining marks that belong to them."""
    assert text
    assert text[0].isalnum()
    assert all(char.isalnum() or unicodedata.category(char).startswith("M") for char in text)
    assert text == text.lower()


@settings(max_examples=400)
@given(any_input)
def test_any_input_parses_into_a_well_formed_query(raw):
    assert_well_formed(parse_query(raw))


@settings(max_examples=400)
@given(any_input)
def test_the_canonical_form_parses_back_to_the_same_query(raw):
    parsed = parse_query(raw)
    canonical = describe(parsed)
    assert len(canonical) <= MAX_QUERY_LENGTH
    again = parse_query(canonical)
    assert (again.root, again.filters) == (parsed.root, parsed.filters)
    assert again.notes == ()
    assert describe(again) == canonical
