from core.exceptions import DomainError

from .error_codes import ServicesDeskErrorCode as Code


class AdmindukCostLocked(DomainError):
    code = Code.ADMINDUK_COST_LOCKED
    field = "cost"


class ServiceNotOffered(DomainError):
    code = Code.SERVICE_NOT_OFFERED
    field = "service"


class InvalidTransition(DomainError):
    code = Code.INVALID_TRANSITION
    field = "status"


class QueueEmpty(DomainError):
    code = Code.QUEUE_EMPTY
    field = "counter"


class CounterBusy(DomainError):
    code = Code.COUNTER_BUSY
    field = "counter"


class SlotFull(DomainError):
    code = Code.SLOT_FULL
    field = "slot"


class DocumentRejected(DomainError):
    code = Code.DOCUMENT_TYPE_NOT_ALLOWED
    field = "documents"


class SurveyRefused(DomainError):
    code = Code.SURVEY_NOT_OPEN
    field = "token"
