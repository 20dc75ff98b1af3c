import pytest

from ecomraci import letters
from ecomraci.model import Model


@pytest.mark.parametrize("typed", ["A/R", "AR", "a r", "R,A", "RA", "r a", "A+R", "a & r", " ra "])
def test_every_usual_spelling_of_a_and_r_is_the_stored_form(typed):
    assert letters.parse(typed) == "AR"


def test_the_canonical_form_is_what_a_model_file_keeps():
    # the parsed letters are accepted as they are by the model's schema
    model = Model.model_validate(
        {
            "parties": [{"id": "p", "name": "P", "kind": "internal"}],
            "functions": [{"id": "f", "name": "F"}],
            "activities": [{"id": "a", "name": "A", "function": "f"}],
            "raci": {"a": {"p": letters.parse("c, i, r")}},
        }
    )
    assert model.letters("a", "p") == "RCI"


@pytest.mark.parametrize("typed", ["", " ", "/", ", "])
def test_nothing_but_separators_is_an_empty_cell(typed):
    assert letters.parse(typed) == ""


@pytest.mark.parametrize(
    ("typed", "char", "position"), [("X", "X", 0), ("A/X", "X", 2), ("r1", "1", 1), ("AÄ", "Ä", 1)]
)
def test_an_unknown_character_is_refused_and_named(typed, char, position):
    with pytest.raises(letters.LetterError) as caught:
        letters.parse(typed)
    assert caught.value.char == char and caught.value.position == position
    assert repr(char) in str(caught.value) and "R, A, C, I" in str(caught.value)


def test_toggle_adds_and_takes_out_one_letter_in_canonical_order():
    assert letters.toggle("R", "a") == "AR"
    assert letters.toggle("AR", "A") == "R"
    assert letters.toggle("", "I") == "I"
    with pytest.raises(letters.LetterError):
        letters.toggle("R", "x")


def test_typing_keys_and_descriptions():
    assert all(letters.is_typing_key(k) for k in "racisvRACISV/, ")
    assert not any(letters.is_typing_key(k) for k in "xZ1.=")
    assert letters.describe("AR") == "Accountable and Responsible"
    assert letters.describe("RCI") == "Responsible, Consulted and Informed"
    assert letters.describe("") == "no role"
    assert "replaces" in letters.TYPING_RULE and "Ctrl+Shift" in letters.TYPING_RULE
