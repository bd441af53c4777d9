from django.urls import path

from . import views

app_name = "pos"

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("terminal/", views.terminals, name="terminals"),
    path("terminal/baru/<int:outlet_id>/", views.terminal_new, name="terminal-new"),
    path("terminal/<int:pk>/ubah/", views.terminal_edit, name="terminal-edit"),
    path("terminal/<int:terminal_id>/buka/", views.shift_open_view, name="shift-open"),
    path("shift/<int:pk>/", views.register, name="register"),
    path("shift/<int:pk>/ringkasan/", views.shift_detail, name="shift-detail"),
    path("shift/<int:pk>/kas/", views.cash_movement_view, name="cash-movement"),
    path("shift/<int:pk>/laporan-x/", views.shift_report_x_view, name="shift-report-x"),
    path("shift/<int:pk>/tutup/", views.shift_close_view, name="shift-close"),
    path("penjualan/<int:pk>/retur/", views.sale_refund_view, name="sale-refund"),
    path("penjualan/<int:pk>/cetak-ulang/", views.sale_reprint_view, name="sale-reprint"),
    path("penjualan/<int:pk>/qris.svg", views.sale_qris_qr, name="sale-qris-qr"),
    path("struk/<str:token>/", views.receipt, name="receipt"),
    path("api/ping/", views.ping, name="api-ping"),
    path("api/shift/<int:shift_id>/produk/", views.api_products, name="api-products"),
    path("api/shift/<int:shift_id>/kunjungan/", views.api_visit, name="api-visit"),
    path("api/sinkron/", views.api_sync, name="api-sync"),
    path("api/penjualan/<int:pk>/status/", views.api_sale_status, name="api-sale-status"),
    path("api/penjualan/<int:pk>/batal/", views.api_sale_cancel, name="api-sale-cancel"),
    path("api/penjualan/<int:pk>/cetak-qris/", views.api_sale_qris_print, name="api-sale-qris-print"),
]
