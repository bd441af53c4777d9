"""Photo uploads: real images only, within limits, cleaned, thumbnails made once; refusals store nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from catalog.exceptions import InvalidImage
from catalog.images import THUMBNAIL_SIZES
from catalog.models import ProductImage
from catalog.services.images import product_image_add

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(400, 300), exif_orientation=None):
    image = Image.new("RGB", size, (180, 90, 30))
    image.putpixel((0, 0), (255, 255, 255))
    out = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "KameraRahasia"  # Make: metadata that must not survive
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_photo_is_rotated_stripped_and_thumbnailed_once(variant, settings):
    # given a portrait phone photo stored sideways with an EXIF orientation tag
    upload = ContentFile(image_bytes(size=(400, 300), exif_orientation=6), name="foto.JPG")
    image = product_image_add(product=variant.product, upload=upload, alt="Keripik")
    # then it is stored upright as WebP, without EXIF, with one thumbnail per size
    assert (image.width, image.height) == (300, 400)
    assert sorted(image.thumbnails) == sorted(str(s) for s in THUMBNAIL_SIZES)
    files = stored_files(settings)
    assert len(files) == 1 + len(THUMBNAIL_SIZES)
    with Image.open(files[0]) as stored:
        assert stored.format == "WEBP"
        assert not stored.getexif()
        assert "exif" not in stored.info
    with Image.open(Path(settings.MEDIA_ROOT) / image.thumbnails["160"]) as thumb:
        assert max(thumb.size) == 160
    assert image.url(150).endswith("-160.webp")
    assert image.url(2000).endswith("-640.webp")


def test_png_with_transparency_is_accepted(variant):
    out = io.BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(out, "PNG")
    image = product_image_add(product=variant.product, upload=ContentFile(out.getvalue(), name="logo.png"))
    assert image.width == 300


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("foto.jpg", b"this is not an image", "invalid_image"),
        ("foto.jpg", image_bytes()[:400], "invalid_image"),  # truncated
        ("foto.jpg", image_bytes("PNG"), "invalid_image"),  # a PNG named .jpg
        ("foto.gif", image_bytes(), "invalid_image"),  # extension not allowed
        ("foto", image_bytes(), "invalid_image"),
        ("kecil.jpg", image_bytes(size=(100, 80)), "invalid_image"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(variant, settings, name, data, code):
    with pytest.raises(InvalidImage) as exc:
        product_image_add(product=variant.product, upload=ContentFile(data, name=name))
    assert exc.value.code == code and exc.value.field == "image"
    assert stored_files(settings) == []
    assert not ProductImage.objects.exists()


def test_too_many_pixels_is_refused(variant, settings):
    settings.CATALOG_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(InvalidImage) as exc:
        product_image_add(product=variant.product, upload=ContentFile(image_bytes(size=(400, 300)), name="besar.jpg"))
    assert exc.value.code == "image_too_large"
    assert stored_files(settings) == []


def test_decompression_bomb_is_refused(variant, settings, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50_000)  # 400x300 is then over twice the limit: a "bomb"
    with pytest.raises(InvalidImage) as exc:
        product_image_add(product=variant.product, upload=ContentFile(image_bytes(size=(400, 300)), name="bom.jpg"))
    assert exc.value.code == "image_too_large"
    assert stored_files(settings) == []


def test_file_over_the_byte_limit_is_refused(variant, settings):
    settings.CATALOG_IMAGE_MAX_BYTES = 1000
    with pytest.raises(InvalidImage) as exc:
        product_image_add(product=variant.product, upload=ContentFile(image_bytes(), name="foto.jpg"))
    assert exc.value.code == "image_too_large"
