"""Request documents on private storage: type and size checks, storage, logged access, retention."""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.exceptions import DomainError

from .error_codes import ServicesDeskErrorCode as Code

# Detected from the bytes, never from the name or the browser's content type.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def document_sniff(data: bytes) -> tuple[str, str]:
    """Return (content type, extension) of an allowed document, or raise."""
    for magic, content_type, ext in SIGNATURES:
        if data.startswith(magic):
            if content_type.startswith("image/"):
                try:
                    Image.open(io.BytesIO(data)).verify()
                except (UnidentifiedImageError, OSError, SyntaxError):
                    break
            return content_type, ext
    raise DomainError(_("Upload a PDF, JPEG or PNG file."), code=Code.DOCUMENT_TYPE_NOT_ALLOWED, field="documents")


def document_read_upload(upload) -> bytes:
    """Read an uploaded file, refusing it as soon as it passes the size limit."""
    limit = settings.REQUEST_DOCUMENT_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        raise _too_large(limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise DomainError(_("The file is empty."), code=Code.INVALID, field="documents")
    return data


def _too_large(limit: int) -> DomainError:
    return DomainError(
        _("A document may be at most %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
        code=Code.DOCUMENT_TOO_LARGE,
        field="documents",
    )


def private_path(relative: str) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("Path escapes the private media root")
    return path


def document_store(*, request_id: int, data: bytes, ext: str) -> tuple[str, str]:
    """Write the bytes under PRIVATE_MEDIA_ROOT; return (relative path, sha256)."""
    relative = f"requests/{request_id}/{uuid.uuid4().hex}{ext}"
    path = private_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)
    return relative, hashlib.sha256(data).hexdigest()


def document_delete_file(relative: str) -> None:
    try:
        private_path(relative).unlink(missing_ok=True)
    except ValueError:
        pass
