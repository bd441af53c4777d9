from django.urls import path

from . import views
from .simulator import views as simulator_views

app_name = "payments"

urlpatterns = [
    path("midtrans/notification/", views.midtrans_notification, name="midtrans-notification"),
    path("status/<str:midtrans_order_id>/", views.payment_status_page, name="status"),
    path("flagged/", views.flagged_list, name="flagged"),
    path("flagged/<int:pk>/resolve/", views.flagged_resolve, name="flagged-resolve"),
    path("<int:pk>/check-status/", views.check_status, name="check-status"),
    # The built-in Midtrans simulator (404 unless MIDTRANS_SIMULATOR is on).
    path("simulator/snap/v1/transactions", simulator_views.snap_create, name="simulator-snap-create"),
    path("simulator/core/v2/charge", simulator_views.core_charge, name="simulator-charge"),
    path("simulator/core/v2/<str:order_id>/status", simulator_views.core_status, name="simulator-status"),
    path("simulator/core/v2/<str:order_id>/cancel", simulator_views.core_cancel, name="simulator-cancel"),
    path("simulator/core/v2/<str:order_id>/refund", simulator_views.core_refund, name="simulator-refund"),
    path("simulator/pay/<str:token>/", simulator_views.pay_page, name="simulator-pay"),
    path("simulator/pay/<str:token>/qr.svg", simulator_views.qr_image, name="simulator-qr"),
]
