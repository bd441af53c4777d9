"""Product photos: cleaned and stored once, then listed on the product."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from ..images import image_files_delete, image_process
from ..models import AuditAction, Product, ProductImage
from .products import _audit


def product_image_add(*, product: Product, upload, alt: str = "", user=None) -> ProductImage:
    """Check and store a photo with its WebP thumbnails; refused uploads store nothing."""
    processed = image_process(upload, folder=f"products/{product.pk}")
    try:
        with transaction.atomic():
            position = (product.images.aggregate(m=Max("position"))["m"] or 0) + 1
            image = ProductImage.objects.create(
                product=product,
                image=processed.image,
                thumbnails=processed.thumbnails,
                width=processed.width,
                height=processed.height,
                alt=alt[:160],
                position=position,
            )
            _audit(product, user=user, action=AuditAction.PHOTO_ADDED, changes={"image": [None, processed.image]})
    except Exception:
        image_files_delete([processed.image, *processed.thumbnails.values()])
        raise
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage, user=None) -> None:
    """Remove a photo and its files (after the transaction commits)."""
    paths = [image.image, *image.thumbnails.values()]
    product = image.product
    image.delete()
    _audit(product, user=user, action=AuditAction.UPDATED, changes={"image": [paths[0], None]})
    transaction.on_commit(lambda: image_files_delete(paths))
