"""Folding names as people say them: the search column and what staff type agree."""
import unicodedata

from hypothesis import given, strategies as st

from onsite_node.name_search import fold, matches, query_words, search_text

RADIA = search_text("Radia", "Turing", "radia@example.org", "Contoso")


def test_accents_and_case_fold_away():
    assert fold("Zoë ØRSTED") == "zoe orsted"
    assert fold("Łukasz Straße") == "lukasz strasse"
    assert fold("Ｚｏｅ") == "zoe"              # full-width letters, as some keyboards type


def test_full_names_partial_names_and_any_order_match():
    for typed in ["radia turing", "Turing R", "TURING", "rad tur", "Turing, Radia", "contoso"]:
        assert matches(RADIA, typed), typed


def test_a_word_must_start_a_word_of_the_attendee():
    assert not matches(RADIA, "uring")
    assert not matches(RADIA, "radia hopper")


def test_emails_are_found_whole_or_by_their_parts():
    assert matches(RADIA, "radia@example.org") and matches(RADIA, "example.org")


def test_punctuated_names_are_found_with_and_without_the_punctuation():
    column = search_text("Seán", "O'Brien-Smith", "", "")
    for typed in ["sean obrien", "Brien", "smith sean", "o'brien", "obriensmith"]:
        assert matches(column, typed), typed


def test_nothing_typed_but_punctuation_is_no_words():
    assert query_words(" ,.- ") == []


def accented(letters):
    """The text with a combining accent after each letter."""
    return "".join(unicodedata.normalize("NFC", c + "\u0301") for c in letters)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_an_accented_name_is_found_by_its_bare_letters_and_back(name):
    assert matches(search_text(accented(name), "", "", ""), name)
    assert matches(search_text(name, "", "", ""), accented(name).upper())


@given(st.text(max_size=40))
def test_folding_twice_is_folding_once(text):
    assert fold(fold(text)) == fold(text)


@given(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=6), min_size=1, max_size=4))
def test_the_words_of_a_name_match_in_any_order(parts):
    column = search_text(" ".join(parts), "", "", "")
    assert matches(column, " ".join(reversed(parts)))
