import pytest

from core.money import format_rupiah, terbilang


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "Rp0"), (500, "Rp500"), (15000, "Rp15.000"), (1250000, "Rp1.250.000"), (-5000, "-Rp5.000")],
)
def test_format_rupiah(amount, expected):
    assert format_rupiah(amount) == expected


def test_format_rupiah_with_cents_for_formal_documents():
    assert format_rupiah(500000, cents=True) == "Rp500.000,00"


def test_format_rupiah_refuses_floats():
    with pytest.raises(TypeError):
        format_rupiah(1.5)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol"),
        (11, "sebelas"),
        (15, "lima belas"),
        (100, "seratus"),
        (1000, "seribu"),
        (1500, "seribu lima ratus"),
        (21000, "dua puluh satu ribu"),
        (145000, "seratus empat puluh lima ribu"),
        (1000000, "satu juta"),
        (2350500, "dua juta tiga ratus lima puluh ribu lima ratus"),
    ],
)
def test_terbilang(amount, words):
    assert terbilang(amount) == words
