"""Service requests through the API: citizens file them, agencies (officers or API clients) move them along."""

import base64
import binascii
import io

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.selectors import outlets_for_user, visit_find
from core.exceptions import DomainError, NotFoundError
from services_desk.error_codes import ServicesDeskErrorCode
from services_desk.models import ServiceRequest
from services_desk.selectors import requests_prefetched, service_requests_for_user, services_active
from services_desk.services.requests import DocumentUpload, service_request_create, service_request_update_status

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..enums import ServiceRequestStatusEnum, enum_value
from ..types import ServiceRequestType


class DocumentInput(graphene.InputObjectType):
    label = graphene.String(required=True)
    filename = graphene.String(required=True)
    content_base64 = graphene.String(required=True, description="The file, base64-encoded (PDF, JPEG or PNG).")


class _Base64Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _decode(doc) -> DocumentUpload:
    try:
        data = base64.b64decode(doc.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(
            _("A document is not valid base64."), code=ServicesDeskErrorCode.INVALID, field="documents"
        ) from None
    return DocumentUpload(label=doc.label, file=_Base64Upload(data, doc.filename))


class ServiceRequestCreate(BaseMutation):
    """File a request for a service with its documents; it is assigned to the service's agency."""

    service_request = graphene.Field(ServiceRequestType)

    class Arguments:
        service = graphene.ID(required=True)
        applicant_name = graphene.String(required=True)
        phone = graphene.String(required=True)
        details = graphene.String(default_value="")
        documents = graphene.List(graphene.NonNull(DocumentInput))
        outlet = graphene.ID(description="Staff at a café: the café, to file for a walk-in.")
        visit_code = graphene.String(description="Staff at a café: the visit of the walk-in.")

    class Meta:
        login_required = True
        permissions = ("services_desk.add_servicerequest",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(
        cls, root, info, service, applicant_name, phone, details="", documents=None, outlet=None, visit_code=None
    ):
        user = info.context.user
        service_obj = get_node_or_error(service, queryset=services_active(), expected_type="Service", field="service")
        outlet_obj = visit = None
        if outlet:
            if not user.has_perm("accounts.open_visit"):
                raise PermissionDenied
            outlet_obj = get_node_or_error(
                outlet, queryset=outlets_for_user(user), expected_type="Outlet", field="outlet"
            )
            if visit_code:
                visit = visit_find(code_or_qr=visit_code, outlet=outlet_obj)
                if visit is None:
                    raise NotFoundError(_("Visit not found."), field="visitCode")
        uploads = [_decode(d) for d in documents or []]
        filed_by_staff = outlet_obj is not None
        request = service_request_create(
            service=service_obj,
            applicant_name=applicant_name,
            phone=phone,
            details=details,
            user=None if filed_by_staff else user,
            created_by=user,
            outlet=outlet_obj,
            visit=visit,
            documents=uploads,
        )
        return cls(
            service_request=requests_prefetched(ServiceRequest.objects.filter(pk=request.pk))
            .select_related("service", "agency")
            .get()
        )


class ServiceRequestUpdateStatus(BaseMutation):
    """Move a request along (verified, in process, ready, collected, rejected with a reason). Agency staff only."""

    service_request = graphene.Field(ServiceRequestType)

    class Arguments:
        id = graphene.ID(required=True)
        status = ServiceRequestStatusEnum(required=True)
        note = graphene.String(default_value="")

    class Meta:
        permissions = ("services_desk.work_servicerequest",)
        error_type_class = ServicesDeskErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, status, note=""):
        user = info.context.user
        request = get_node_or_error(
            id, queryset=service_requests_for_user(user), expected_type="ServiceRequest", field="id"
        )
        request = service_request_update_status(request=request, status=enum_value(status), by=user, note=note)
        return cls(
            service_request=requests_prefetched(ServiceRequest.objects.filter(pk=request.pk))
            .select_related("service", "agency")
            .get()
        )
