"""Product photos: checked with Pillow, cleaned (EXIF orientation applied, metadata dropped) and turned into
WebP files once at upload — a full-size copy and thumbnails at a few sizes — so no request ever resizes."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .error_codes import CatalogErrorCode
from .exceptions import InvalidImage

THUMBNAIL_SIZES = (160, 320, 640)
FULL_SIZE = 1600
MIN_SIDE = 200
# Extension -> the format Pillow must find inside: a PNG named .jpg is refused.
ALLOWED_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


@dataclass(frozen=True)
class ProcessedImage:
    image: str
    thumbnails: dict[str, str]
    width: int
    height: int


def thumbnail_size_pick(size: int | None) -> int:
    """Return the smallest stored thumbnail at least `size` pixels wide (the largest if none is)."""
    if not size:
        return THUMBNAIL_SIZES[-1]
    for candidate in THUMBNAIL_SIZES:
        if candidate >= size:
            return candidate
    return THUMBNAIL_SIZES[-1]


def _max_bytes() -> int:
    return settings.CATALOG_IMAGE_MAX_BYTES


def _max_pixels() -> int:
    return settings.CATALOG_IMAGE_MAX_PIXELS


def image_open_checked(uploaded) -> Image.Image:
    """Open an upload as an image, refusing anything that is not a sound, reasonably sized photo."""
    name = getattr(uploaded, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_FORMATS:
        raise InvalidImage(_("Upload a JPEG, PNG or WebP photo."))
    size = getattr(uploaded, "size", None)
    if size is not None and size > _max_bytes():
        raise InvalidImage(
            _("The photo is larger than %(mb)d MB.") % {"mb": _max_bytes() // (1024 * 1024)},
            code=CatalogErrorCode.IMAGE_TOO_LARGE,
        )
    data = uploaded.read()
    if len(data) > _max_bytes():
        raise InvalidImage(
            _("The photo is larger than %(mb)d MB.") % {"mb": _max_bytes() // (1024 * 1024)},
            code=CatalogErrorCode.IMAGE_TOO_LARGE,
        )
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused, never half-processed.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format != ALLOWED_FORMATS[extension]:
                raise InvalidImage(_("The file's extension does not match its content."))
            width, height = probe.size
            if width * height > _max_pixels():
                raise InvalidImage(
                    _("The photo has too many pixels (at most %(mp)d megapixels).")
                    % {"mp": _max_pixels() // 1_000_000},
                    code=CatalogErrorCode.IMAGE_TOO_LARGE,
                )
            if min(width, height) < MIN_SIDE:
                raise InvalidImage(_("The photo is too small: at least %(px)d pixels on each side.") % {"px": MIN_SIDE})
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here
    except InvalidImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidImage(_("The photo has too many pixels."), code=CatalogErrorCode.IMAGE_TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidImage(_("This file is not a readable photo (damaged or not an image).")) from None
    return image


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4)  # no exif= / icc_profile=: metadata is dropped
    return out.getvalue()


def image_process(uploaded, *, folder: str) -> ProcessedImage:
    """Check, clean and store one upload: full-size WebP plus thumbnails. Nothing is stored if it is refused."""
    image = image_open_checked(uploaded)
    image = ImageOps.exif_transpose(image)
    image = image.convert(
        "RGBA" if image.mode in ("RGBA", "LA", "P") and "transparency" in image.info or image.mode == "RGBA" else "RGB"
    )
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a fresh image carries no metadata from the upload
    full = clean.copy()
    full.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    stem = f"{folder}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        image_path = default_storage.save(f"{stem}.webp", ContentFile(_webp(full)))
        written.append(image_path)
        thumbnails = {}
        for size in THUMBNAIL_SIZES:
            thumb = clean.copy()
            thumb.thumbnail((size, size), Image.Resampling.LANCZOS)
            path = default_storage.save(f"{stem}-{size}.webp", ContentFile(_webp(thumb)))
            written.append(path)
            thumbnails[str(size)] = path
    except Exception:
        for path in written:
            default_storage.delete(path)
        raise
    return ProcessedImage(image=image_path, thumbnails=thumbnails, width=full.width, height=full.height)


def image_files_delete(paths) -> None:
    for path in paths:
        if path:
            default_storage.delete(path)
