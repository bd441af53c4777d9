"""Service requests: filing with documents, the status timeline, document access and retention."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import InvalidPhone
from accounts.models import Outlet, PersonalDataAccess, User, Visit
from accounts.phone_numbers import phone_normalize
from core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from core.messaging import message_send

from ..documents import document_delete_file, document_read_upload, document_sniff, document_store, private_path
from ..error_codes import ServicesDeskErrorCode as Code
from ..exceptions import InvalidTransition, ServiceNotOffered
from ..models import RequestDocument, RequestEvent, RequestStatus, Service, ServiceRequest
from ..permissions import user_can_see_request, user_can_work_request
from .webhooks import webhook_event_emit

MAX_DOCUMENTS = 10

TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.SUBMITTED: {RequestStatus.VERIFIED, RequestStatus.REJECTED},
    RequestStatus.VERIFIED: {RequestStatus.IN_PROCESS, RequestStatus.REJECTED},
    RequestStatus.IN_PROCESS: {RequestStatus.READY, RequestStatus.REJECTED},
    RequestStatus.READY: {RequestStatus.COLLECTED},
    RequestStatus.COLLECTED: set(),
    RequestStatus.REJECTED: set(),
}
CLOSED_STATUSES = (RequestStatus.COLLECTED, RequestStatus.REJECTED)


@dataclass(frozen=True)
class DocumentUpload:
    label: str
    file: object  # an UploadedFile or any object with read() and name


def _reference() -> str:
    return f"LYN-{timezone.localdate():%y%m%d}-" + "".join(
        secrets.choice("ACDEFGHJKMNPQRTUVWXY34679") for _ in range(5)
    )


def _emit(request: ServiceRequest, previous: str) -> None:
    webhook_event_emit(
        agency=request.agency,
        event="service_request.status_changed",
        payload={
            "reference": request.reference,
            "service": request.service.slug,
            "agency": request.agency.slug,
            "status": request.status,
            "previous_status": previous,
            "due_at": request.due_at.isoformat(),
            "changed_at": timezone.now().isoformat(),
        },
    )


@transaction.atomic
def service_request_create(
    *,
    service: Service,
    applicant_name: str,
    phone: str,
    details: str = "",
    user: User | None = None,
    created_by: User | None = None,
    outlet: Outlet | None = None,
    visit: Visit | None = None,
    documents: list[DocumentUpload] | None = None,
) -> ServiceRequest:
    """File a request for a service, assigned to its agency, with its documents."""
    if not service.is_active or not service.accepts_requests:
        raise ServiceNotOffered(_("“%(service)s” does not take requests here.") % {"service": service.name})
    name = (applicant_name or "").strip()
    if not name:
        raise DomainError(_("Enter the applicant's name."), code=Code.INVALID, field="applicantName")
    try:
        e164 = phone_normalize(phone)
    except InvalidPhone as exc:
        raise DomainError(exc.message, code=Code.INVALID, field="phone") from None
    documents = documents or []
    if len(documents) > MAX_DOCUMENTS:
        raise DomainError(
            _("Attach at most %(n)s documents.") % {"n": MAX_DOCUMENTS}, code=Code.INVALID, field="documents"
        )
    # Read and check every document before anything is written.
    checked = []
    for upload in documents:
        data = document_read_upload(upload.file)
        content_type, ext = document_sniff(data)
        checked.append((upload, data, content_type, ext))
    now = timezone.now()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                request = ServiceRequest.objects.create(
                    reference=_reference(),
                    service=service,
                    agency_id=service.agency_id,
                    outlet=outlet,
                    visit=visit,
                    user=user if user and user.is_authenticated else None,
                    applicant_name=name[:120],
                    phone=e164,
                    details=(details or "").strip()[:4000],
                    due_at=now + datetime.timedelta(hours=service.sla_hours),
                    created_by=created_by if created_by and created_by.is_authenticated else None,
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Could not draw a free request reference")
    RequestEvent.objects.create(
        request=request, to_status=RequestStatus.SUBMITTED, by=request.created_by or request.user
    )
    stored: list[str] = []
    try:
        for upload, data, content_type, ext in checked:
            relative, digest = document_store(request_id=request.pk, data=data, ext=ext)
            stored.append(relative)
            RequestDocument.objects.create(
                request=request,
                label=(upload.label or _("Document"))[:120],
                path=relative,
                original_name=str(getattr(upload.file, "name", "") or "document")[-200:],
                content_type=content_type,
                size=len(data),
                sha256=digest,
                uploaded_by=created_by or user,
            )
    except Exception:
        for relative in stored:
            document_delete_file(relative)
        raise
    _emit(request, "")
    return request


@transaction.atomic
def service_request_update_status(*, request: ServiceRequest, status: str, by: User, note: str = "") -> ServiceRequest:
    """Move a request along its timeline (staff of the assigned agency only); tell the citizen when ready."""
    request = (
        ServiceRequest.objects.select_for_update(of=("self",)).select_related("service", "agency").get(pk=request.pk)
    )
    if not user_can_work_request(by, request):
        raise PermissionDeniedError(_("This request is assigned to another agency."), field="id")
    if status not in RequestStatus.values:
        raise DomainError(_("Unknown status."), code=Code.INVALID, field="status")
    if status not in TRANSITIONS[request.status]:
        raise InvalidTransition(
            _("A request that is “%(status)s” cannot become “%(to)s”.")
            % {"status": request.get_status_display(), "to": RequestStatus(status).label}
        )
    note = (note or "").strip()
    if status == RequestStatus.REJECTED and not note:
        raise DomainError(_("Give the reason for the rejection."), code=Code.REASON_REQUIRED, field="note")
    previous = request.status
    request.status = status
    fields = ["status", "updated_at"]
    if status == RequestStatus.REJECTED:
        request.rejection_reason = note
        fields.append("rejection_reason")
    if status in CLOSED_STATUSES:
        request.closed_at = timezone.now()
        fields.append("closed_at")
    request.save(update_fields=fields)
    RequestEvent.objects.create(request=request, from_status=previous, to_status=status, note=note[:2000], by=by)
    if status in (RequestStatus.READY, RequestStatus.REJECTED):
        if status == RequestStatus.READY:
            body = _("Your request %(ref)s (%(service)s) is ready. Please collect it.")
        else:
            body = _("Your request %(ref)s (%(service)s) was rejected: %(reason)s")
        text = body % {"ref": request.reference, "service": request.service.name, "reason": note}
        phone = request.phone
        transaction.on_commit(
            lambda: message_send(
                subject=_("Service request %(ref)s") % {"ref": request.reference}, body=text, phone=phone
            )
        )
    _emit(request, previous)
    return request


def document_open(*, document_id: int, user: User, ip_address: str | None = None):
    """Return (document, open file) for the request's citizen or its agency's staff; log every try.

    Anyone else gets NotFoundError (the document's existence is not revealed) and a 'denied' log line.
    """
    document = RequestDocument.objects.select_related("request").filter(pk=document_id).first()
    allowed = document is not None and document.purged_at is None and user_can_see_request(user, document.request)
    PersonalDataAccess.objects.create(
        user=user if user.is_authenticated else None,
        subject=f"request_document:{document_id}",
        action="download" if allowed else "denied",
        ip_address=ip_address,
    )
    if not allowed:
        raise NotFoundError(_("Document not found."), field="id")
    try:
        handle = private_path(document.path).open("rb")
    except (OSError, ValueError):
        raise NotFoundError(_("Document not found."), field="id") from None
    return document, handle


def documents_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of closed requests past the retention limit. Return how many were purged."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PII_DOCUMENT_RETENTION_DAYS)
    documents = list(
        RequestDocument.objects.filter(
            purged_at__isnull=True, request__status__in=CLOSED_STATUSES, request__closed_at__lt=cutoff
        ).only("pk", "path")
    )
    for doc in documents:
        document_delete_file(doc.path)
    RequestDocument.objects.filter(pk__in=[d.pk for d in documents]).update(purged_at=now, updated_at=now)
    return len(documents)
