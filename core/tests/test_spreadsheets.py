import pytest

from core.spreadsheets import spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+628123", "'+628123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Keripik Tempe", "Keripik Tempe"),
        (35700, 35700),
        (-1200, -1200),
        (None, ""),
    ],
)
def test_spreadsheet_cell(value, expected):
    assert spreadsheet_cell(value) == expected
