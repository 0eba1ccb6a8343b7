from hypothesis import given
from hypothesis import strategies as st

from pillbox.numbers import MAX_ID, whole_number


def test_ascii_digits_within_the_bound_are_the_number():
    assert whole_number("0") == 0
    assert whole_number("42") == 42
    assert whole_number(str(MAX_ID)) == MAX_ID
    assert whole_number(b"17", 100) == 17


def test_anything_else_is_none():
    for raw in (None, "", " 1", "-1", "1.5", "²", "١٢", str(MAX_ID + 1), "9" * 5000):
        assert whole_number(raw) is None, raw
    assert whole_number("32", 31) is None


@given(st.text())
def test_any_text_is_a_number_or_none_and_never_an_error(raw):
    value = whole_number(raw)
    assert value is None or (0 <= value <= MAX_ID and str(value) == raw.lstrip("0").rjust(1, "0"))
