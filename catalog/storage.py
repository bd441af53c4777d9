"""Where permit scans live: private storage, served only through a permission-checked view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Return the storage under PRIVATE_MEDIA_ROOT (read at call time, so tests can move it)."""
    return FileSystemStorage(location=str(settings.PRIVATE_MEDIA_ROOT / "catalog"), base_url=None)
