"""IKM (Permenpan RB 14/2017) against worked examples and the grade boundaries; the survey behind the ticket QR."""

from decimal import Decimal

import pytest

from core.exceptions import DomainError
from services_desk.ikm import ikm_compute, ikm_grade
from services_desk.models import SurveyResponse


def test_worked_example_all_good():
    # 10 respondents, every item scored 3 by everybody: NRR 3.00 each, IKM 3.00, score 75.00 -> C
    result = ikm_compute(item_sums=[30] * 9, respondents=10)
    assert result.item_averages == tuple([Decimal("3.00")] * 9)
    assert (result.ikm, result.score, result.grade) == (Decimal("3.0000"), Decimal("75.00"), "C")


def test_worked_example_mixed_items():
    # 4 respondents; item sums -> averages 3.25, 3.50, 3.00, 4.00, 3.75, 3.50, 3.25, 2.75, 3.00
    sums = [13, 14, 12, 16, 15, 14, 13, 11, 12]
    result = ikm_compute(item_sums=sums, respondents=4)
    # Σ averages = 30.0; IKM = 30/9 = 3.3333; score = 83.33 -> B
    assert result.item_averages[0] == Decimal("3.25") and result.item_averages[7] == Decimal("2.75")
    assert (result.ikm, result.score, result.grade, result.grade_label) == (
        Decimal("3.3333"),
        Decimal("83.33"),
        "B",
        "Baik",
    )


def test_worked_example_excellent_and_poor():
    assert ikm_compute(item_sums=[4] * 9, respondents=1).score == Decimal("100.00")
    best = ikm_compute(item_sums=[4] * 9, respondents=1)
    assert best.grade == "A"
    worst = ikm_compute(item_sums=[1] * 9, respondents=1)
    assert (worst.score, worst.grade) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    "score, grade",
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(score, grade):
    assert ikm_grade(Decimal(score)) == grade


def test_boundary_reached_through_rounding():
    # 9 respondents, item sums total 318 -> IKM = 318/81 = 3.92592..., score 98.15 -> A
    assert ikm_compute(item_sums=[36, 36, 36, 36, 36, 36, 36, 36, 30], respondents=9).score == Decimal("98.15")
    # 25 respondents, total 795: averages sum 31.8, IKM 3.5333, score 88.33 -> A
    result = ikm_compute(item_sums=[89, 88, 88, 88, 88, 88, 88, 88, 90], respondents=25)
    assert result.score == Decimal("88.33") and result.grade == "A"
    # total 794: averages sum 31.76, IKM 3.52888..., score 88.22 -> B
    result = ikm_compute(item_sums=[88, 88, 88, 88, 88, 88, 88, 88, 90], respondents=25)
    assert result.score == Decimal("88.22") and result.grade == "B"
    # 100 respondents, total 3179: score 88.3055... is published as 88.31, which is grade A
    result = ikm_compute(item_sums=[353] * 8 + [355], respondents=100)
    assert (result.score, result.grade) == (Decimal("88.31"), "A")


def test_no_respondents_and_wrong_item_count():
    assert ikm_compute(item_sums=[0] * 9, respondents=0) is None
    with pytest.raises(ValueError):
        ikm_compute(item_sums=[3] * 8, respondents=1)


@pytest.fixture
def served_ticket(issue, ktp, counter, officer):
    from services_desk.services.queue import ticket_call_next, ticket_complete

    issue(ktp)
    return ticket_complete(ticket=ticket_call_next(counter=counter, officer=officer), officer=officer)


@pytest.mark.django_db
def test_survey_once_per_served_ticket(served_ticket):
    from services_desk.services.survey import survey_submit
    from services_desk.ticket_printing import survey_token

    token = survey_token(served_ticket)
    response = survey_submit(token=token, scores=[4, 4, 3, 3, 4, 4, 4, 3, 3], comment="Cepat")
    assert (response.service_id, response.counter_id, response.u1, response.u9) == (
        served_ticket.service_id,
        served_ticket.counter_id,
        4,
        3,
    )
    with pytest.raises(DomainError) as exc:
        survey_submit(token=token, scores=[1] * 9)
    assert exc.value.code == "survey_already_submitted"
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_survey_refusals(served_ticket, issue, ktp):
    from services_desk.services.survey import survey_submit
    from services_desk.ticket_printing import survey_token

    token = survey_token(served_ticket)
    for scores in ([4] * 8, [5] * 9, [0] * 9, ["4"] * 9, [True] * 9):
        with pytest.raises(DomainError) as exc:
            survey_submit(token=token, scores=scores)
        assert exc.value.code == "invalid_score"
    with pytest.raises(DomainError) as exc:
        survey_submit(token=token + "x", scores=[4] * 9)
    assert exc.value.code == "survey_not_open"
    waiting = issue(ktp)
    with pytest.raises(DomainError):
        survey_submit(token=survey_token(waiting), scores=[4] * 9)
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_ikm_report_by_service_and_counter(served_ticket, issue, kk, counter, officer):
    import datetime

    from django.utils import timezone

    from services_desk.selectors import ikm_report
    from services_desk.services.queue import ticket_call_next, ticket_complete
    from services_desk.services.survey import survey_submit
    from services_desk.ticket_printing import survey_token

    issue(kk)
    second = ticket_complete(ticket=ticket_call_next(counter=counter, officer=officer), officer=officer)
    survey_submit(token=survey_token(served_ticket), scores=[4] * 9)
    survey_submit(token=survey_token(second), scores=[2] * 9)
    today = timezone.localdate()
    total, rows = ikm_report(date_from=today, date_to=today)
    assert (total.respondents, total.score, total.grade) == (2, Decimal("75.00"), "C")
    assert {r.label: r.result.score for r in rows} == {"KTP-el": Decimal("100.00"), "Kartu Keluarga": Decimal("50.00")}
    total, rows = ikm_report(date_from=today, date_to=today, by="counter")
    assert [(r.label, r.result.respondents) for r in rows] == [("Loket 1", 2)]
    yesterday = today - datetime.timedelta(days=1)
    assert ikm_report(date_from=yesterday, date_to=yesterday) == (None, [])
