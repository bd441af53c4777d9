"""The satisfaction survey behind the QR on the ticket: one answer per served ticket."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..error_codes import ServicesDeskErrorCode as Code
from ..exceptions import SurveyRefused
from ..ikm import ITEMS
from ..models import QueueTicket, SurveyResponse, TicketStatus
from ..ticket_printing import survey_ticket_id


def survey_scores_validate(scores) -> list[int]:
    if not isinstance(scores, (list, tuple)) or len(scores) != ITEMS:
        raise DomainError(_("Answer all %(n)s questions.") % {"n": ITEMS}, code=Code.INVALID_SCORE, field="scores")
    cleaned = []
    for value in scores:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise DomainError(_("Each answer is a score from 1 to 4."), code=Code.INVALID_SCORE, field="scores")
        cleaned.append(value)
    return cleaned


def survey_ticket_for_token(token: str) -> QueueTicket | None:
    ticket_id = survey_ticket_id(token)
    if ticket_id is None:
        return None
    return QueueTicket.objects.select_related("service", "outlet").filter(pk=ticket_id).first()


@transaction.atomic
def survey_submit(*, token: str, scores: list[int], comment: str = "") -> SurveyResponse:
    """Record the answer of the person holding the ticket; once per ticket, after it was served."""
    ticket = survey_ticket_for_token(token)
    if ticket is None:
        raise SurveyRefused(_("This survey link is not valid."))
    cleaned = survey_scores_validate(scores)
    if ticket.status != TicketStatus.DONE:
        raise SurveyRefused(_("The survey opens once your service is finished."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                ticket=ticket,
                service_id=ticket.service_id,
                outlet_id=ticket.outlet_id,
                counter_id=ticket.counter_id,
                business_date=ticket.business_date,
                comment=(comment or "").strip()[:2000],
                **{f"u{i + 1}": v for i, v in enumerate(cleaned)},
            )
    except IntegrityError:
        raise DomainError(
            _("This ticket's survey has already been answered. Thank you!"),
            code=Code.SURVEY_ALREADY_SUBMITTED,
            field="token",
        ) from None
