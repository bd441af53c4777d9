"""The public portal: find a service and its standar pelayanan, book a time, file and follow requests, survey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError, NotFoundError

from ..forms import AppointmentForm, RequestForm, RequestStatusForm, SurveyForm
from ..models import AppointmentSlot, ServiceRequest
from ..permissions import user_can_see_request, user_can_work_request
from ..selectors import (
    agencies_active,
    requests_prefetched,
    service_by_slug,
    service_requests_for_user,
    services_search,
    slots_open,
)
from ..services.appointments import appointment_book
from ..services.requests import DocumentUpload, document_open, service_request_create, service_request_update_status
from ..services.survey import survey_submit, survey_ticket_for_token
from .errors import form_add_domain_error

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def service_list(request):
    search = request.GET.get("q", "").strip()[:100]
    agencies = list(agencies_active())
    agency = next((a for a in agencies if a.slug == request.GET.get("instansi")), None)
    services = services_search(search=search, agency=agency)
    return render(
        request,
        "services_desk/service_list.html",
        {"services": services, "agencies": agencies, "agency": agency, "search": search},
    )


def service_detail(request, slug):
    service = service_by_slug(slug)
    if service is None:
        raise Http404
    slots = list(slots_open(service=service)[:60]) if service.offered_at_cafes else []
    return render(
        request,
        "services_desk/service_detail.html",
        {
            "service": service,
            "outlets": service.outlets.filter(is_active=True),
            "slots": slots,
            "appointment_form": AppointmentForm(
                initial={"name": request.user.get_full_name()} if request.user.is_authenticated else None
            ),
        },
    )


@login_required
@permission_required("services_desk.add_appointment", raise_exception=True)
@require_POST
def appointment_create(request, slot_id):
    slot = get_object_or_404(AppointmentSlot.objects.select_related("service", "outlet"), pk=slot_id)
    form = AppointmentForm(request.POST)
    if form.is_valid():
        try:
            appointment = appointment_book(
                slot=slot, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"], user=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Booked. Your appointment code is %(code)s: enter it at the kiosk when you arrive.")
                % {"code": appointment.code},
            )
    else:
        messages.error(request, _("Enter your name and phone number."))
    return redirect("services_desk:service-detail", slug=slot.service.slug)


def _desk_visit(request):
    """The walk-in's visit when staff file a request at the desk (`?kunjungan=<id>`), else None."""
    visit_id = request.GET.get("kunjungan") or request.POST.get("kunjungan")
    if not visit_id:
        return None
    from accounts.models import Visit, VisitStatus
    from accounts.selectors import user_can_act_at_outlet

    visit = (
        Visit.objects.select_related("outlet")
        .filter(pk=visit_id if str(visit_id).isdigit() else 0, status=VisitStatus.OPEN)
        .first()
    )
    if (
        visit is None
        or not request.user.has_perm("accounts.open_visit")
        or not user_can_act_at_outlet(request.user, visit.outlet)
    ):
        raise Http404
    return visit


@login_required
@permission_required("services_desk.add_servicerequest", raise_exception=True)
def request_create(request, slug):
    """A citizen files their own request online, or staff file one for a walk-in's visit at the desk."""
    service = service_by_slug(slug)
    if service is None or not service.accepts_requests:
        raise Http404
    visit = _desk_visit(request)
    initial = {} if visit else {"applicant_name": request.user.get_full_name(), "phone": request.user.phone or ""}
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        uploads = [DocumentUpload(label=f.name, file=f) for f in request.FILES.getlist("documents")]
        try:
            created = service_request_create(
                service=service,
                applicant_name=form.cleaned_data["applicant_name"],
                phone=form.cleaned_data["phone"],
                details=form.cleaned_data["details"],
                user=None if visit else request.user,
                created_by=request.user,
                outlet=visit.outlet if visit else None,
                visit=visit,
                documents=uploads,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Request %(ref)s submitted.") % {"ref": created.reference})
            if visit is not None and not user_can_see_request(request.user, created):
                return redirect("services_desk:desk")
            return redirect("services_desk:request-detail", reference=created.reference)
    return render(
        request,
        "services_desk/request_form.html",
        {"service": service, "form": form, "visit": visit},
        status=400 if form.errors else 200,
    )


@login_required
def my_requests(request):
    qs = service_requests_for_user(request.user).filter(user=request.user).order_by("-created_at")
    return render(request, "services_desk/my_requests.html", {"requests": qs[:100]})


@login_required
def request_detail(request, reference):
    obj = (
        requests_prefetched(ServiceRequest.objects.select_related("service", "agency"))
        .filter(reference=reference)
        .first()
    )
    if obj is None or not user_can_see_request(request.user, obj):
        raise Http404
    can_work = user_can_work_request(request.user, obj)
    form = RequestStatusForm(request.POST or None) if can_work else None
    if request.method == "POST":
        if not can_work:
            raise Http404
        if form.is_valid():
            try:
                service_request_update_status(
                    request=obj, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("Status updated."))
                return redirect("services_desk:request-detail", reference=reference)
    return render(
        request,
        "services_desk/request_detail.html",
        {"obj": obj, "form": form, "can_work": can_work},
        status=400 if form is not None and form.errors else 200,
    )


def document_download(request, pk):
    """Serve a request document to its citizen or the assigned agency's staff; every try is logged."""
    try:
        document, handle = document_open(document_id=pk, user=request.user, ip_address=_client_ip(request))
    except NotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.request.reference}-{document.pk}{EXTENSIONS.get(document.content_type, '')}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def survey(request, token):
    ticket = survey_ticket_for_token(token)
    if ticket is None:
        raise Http404
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_submit(token=token, scores=form.scores(), comment=form.cleaned_data["comment"])
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return render(request, "services_desk/survey_thanks.html", {"ticket": ticket})
    return render(
        request, "services_desk/survey.html", {"ticket": ticket, "form": form}, status=400 if form.errors else 200
    )
