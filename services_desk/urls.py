from django.urls import path

from .views import board, desk, kiosk, public

app_name = "services_desk"

urlpatterns = [
    path("", public.service_list, name="service-list"),
    path("permohonan/saya/", public.my_requests, name="my-requests"),
    path("permohonan/antrean/", desk.work_queue, name="work-queue"),
    path("permohonan/baru/<slug:slug>/", public.request_create, name="request-create"),
    path("permohonan/<str:reference>/", public.request_detail, name="request-detail"),
    path("dokumen/<int:pk>/", public.document_download, name="document"),
    path("janji/<int:slot_id>/", public.appointment_create, name="appointment-book"),
    path("survei/<str:token>/", public.survey, name="survey"),
    path("papan/<str:code>/", board.board, name="board"),
    path("papan/<str:code>/data.json", board.board_data, name="board-data"),
    path("loket/", desk.desk, name="desk"),
    path("loket/<int:counter_id>/", desk.counter_screen, name="counter"),
    path("loket/<int:counter_id>/aksi/", desk.counter_action, name="counter-action"),
    path("loket/<int:counter_id>/status.json", desk.counter_status, name="counter-status"),
    path("bantuan/<int:pk>/jawab/", desk.help_acknowledge, name="help-ack"),
    path("laporan/", desk.report, name="report"),
    path("jadwal/", desk.slots, name="slots"),
    path("anjungan/", kiosk.kiosk_select, name="kiosk-select"),
    path("anjungan/<str:code>/", kiosk.kiosk_home, name="kiosk"),
    path("anjungan/<str:code>/checkin/", kiosk.kiosk_check_in, name="kiosk-checkin"),
    path("anjungan/<str:code>/bantuan/", kiosk.kiosk_help, name="kiosk-help"),
    path("anjungan/<str:code>/layanan/<slug:slug>/", kiosk.kiosk_service, name="kiosk-service"),
    path("anjungan/<str:code>/tiket/<int:pk>/", kiosk.kiosk_ticket, name="kiosk-ticket"),
    path("<slug:slug>/", public.service_detail, name="service-detail"),
]
