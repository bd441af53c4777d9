"""The Community Satisfaction Index (IKM) of Permenpan RB 14/2017.

Nine items (U1–U9) scored 1–4. Per item the average score (NRR); IKM is the sum of
the item averages weighted 1/9 each; the published score is IKM × 25 (25–100),
graded A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, otherwise D. Computed with exact
fractions from integer sums; the published score is rounded half-up to two
decimals before grading, as it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ITEMS = 9
GRADES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"))
GRADE_LABELS = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    item_averages: tuple[Decimal, ...]  # NRR per item, 2 decimals
    ikm: Decimal  # 1.00–4.00, 4 decimals
    score: Decimal  # 25.00–100.00, 2 decimals
    grade: str

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def ikm_grade(score: Decimal) -> str:
    """Return the quality grade (A–D) of a published score."""
    for threshold, grade in GRADES:
        if score >= threshold:
            return grade
    return "D"


def ikm_compute(*, item_sums: list[int], respondents: int) -> IkmResult | None:
    """Compute IKM from the sum of the scores of each item over all respondents; None with no respondents."""
    if respondents <= 0:
        return None
    if len(item_sums) != ITEMS:
        raise ValueError(f"IKM needs {ITEMS} items, got {len(item_sums)}")
    averages = [Fraction(int(total), respondents) for total in item_sums]
    ikm = sum(avg * Fraction(1, ITEMS) for avg in averages)
    score = _round(ikm * 25, "0.01")
    return IkmResult(
        respondents=respondents,
        item_averages=tuple(_round(a, "0.01") for a in averages),
        ikm=_round(ikm, "0.0001"),
        score=score,
        grade=ikm_grade(score),
    )
