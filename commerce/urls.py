from django.urls import path

from . import views

app_name = "commerce"

urlpatterns = [
    path("keranjang/", views.cart, name="cart"),
    path("keranjang/tambah/", views.cart_add, name="cart-add"),
    path("keranjang/ubah/", views.cart_update, name="cart-update"),
    path("keranjang/hapus/<int:line_id>/", views.cart_line_delete, name="cart-line-delete"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/bayar/", views.checkout_review, name="checkout-review"),
    path("pesanan/", views.my_orders, name="my-orders"),
    path("pesanan/<str:number>/", views.order_detail, name="order-detail"),
    path("pesanan/<str:number>/qr.svg", views.order_pickup_qr, name="order-pickup-qr"),
    path("pesanan/<str:number>/bayar/", views.order_pay, name="order-pay"),
    path("pesanan/<str:number>/cek/", views.order_check_payment, name="order-check-payment"),
    path("pesanan/<str:number>/batal/", views.order_cancel_view, name="order-cancel"),
    path("kelola/setoran-umkm/", views.settlements, name="settlements"),
    path("kelola/setoran-umkm/bulanan/", views.settlement_month, name="settlement-month"),
    path("kelola/pesanan/", views.staff_orders, name="staff-orders"),
    path("kelola/pesanan/serah-terima/", views.staff_hand_over, name="staff-hand-over"),
    path("kelola/pesanan/<str:number>/", views.staff_order_detail, name="staff-order-detail"),
    path("kelola/pesanan/<str:number>/aksi/", views.staff_order_action, name="staff-order-action"),
    path("kelola/pesanan/<str:number>/daftar-ambil/", views.staff_pick_list, name="staff-pick-list"),
]
