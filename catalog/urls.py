from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("saya/", views.owner_dashboard, name="owner-dashboard"),
    path("saya/umkm/baru/", views.vendor_edit, name="vendor-create"),
    path("saya/umkm/<int:pk>/", views.vendor_edit, name="vendor-edit"),
    path("saya/produk/baru/", views.product_edit, name="product-create"),
    path("saya/produk/<int:pk>/ubah/", views.product_edit, name="product-edit"),
    path("saya/produk/<int:pk>/", views.product_manage, name="product-manage"),
    path("saya/kiriman/baru/", views.delivery_create, name="delivery-create"),
    path("saya/impor/", views.product_import, name="product-import"),
    path("izin/<int:pk>/pindaian/", views.permit_scan, name="permit-scan"),
    path("kurasi/", views.curation_queue_view, name="curation"),
    path("kurasi/<int:pk>/", views.product_review_view, name="product-review"),
    path("stok/", views.outlet_stock, name="outlet-stock"),
    path("stok/kiriman/<int:pk>/", views.delivery_receive, name="delivery-receive"),
    path("stok/impor/", views.stock_import, name="stock-import"),
    path("label/<int:pk>/", views.shelf_labels, name="labels"),
    path("<slug:slug>/", views.product_detail, name="product-detail"),
]
