"""Register and change the cash registers of a café."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Outlet
from core.exceptions import domain_error_from_validation
from core.printing import PrinterUrlError, printer_url_validate

from ..error_codes import PosErrorCode
from ..exceptions import InvalidPrinter, PosError
from ..models import PaperWidth, Terminal

_UNSET = object()


def _validate_printer(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        return printer_url_validate(url)
    except PrinterUrlError:
        raise InvalidPrinter(
            _("This printer setting is not supported. Use tcp://host:9100, file:/path, usb://vid:pid or dummy:.")
        ) from None


def _validate_paper(width) -> int:
    try:
        width = int(width)
    except (TypeError, ValueError):
        width = 0
    if width not in PaperWidth.values:
        raise PosError(_("Paper width must be 58 or 80 mm."), code=PosErrorCode.INVALID, field="paper_width")
    return width


def _save(terminal: Terminal) -> Terminal:
    try:
        terminal.full_clean(exclude=["outlet"])
    except ValidationError as exc:
        raise domain_error_from_validation(exc) from None
    try:
        with transaction.atomic():
            terminal.save()
    except IntegrityError:
        raise PosError(
            _("This café already has a terminal with that name or code."), code=PosErrorCode.INVALID, field="code"
        ) from None
    return terminal


@transaction.atomic
def terminal_create(
    *,
    outlet: Outlet,
    name: str,
    code: str,
    printer_url: str = "",
    paper_width: int = PaperWidth.MM80,
    allow_negative_stock: bool = False,
) -> Terminal:
    """Register a terminal at a café with its receipt printer and paper width."""
    terminal = Terminal(
        outlet=outlet,
        name=(name or "").strip(),
        code=(code or "").strip().upper(),
        printer_url=_validate_printer(printer_url),
        paper_width=_validate_paper(paper_width),
        allow_negative_stock=bool(allow_negative_stock),
    )
    return _save(terminal)


@transaction.atomic
def terminal_update(
    *,
    terminal: Terminal,
    name=_UNSET,
    printer_url=_UNSET,
    paper_width=_UNSET,
    allow_negative_stock=_UNSET,
    is_active=_UNSET,
) -> Terminal:
    """Change a terminal's settings; only the given fields change."""
    terminal = Terminal.objects.select_for_update().get(pk=terminal.pk)
    if name is not _UNSET:
        terminal.name = (name or "").strip()
    if printer_url is not _UNSET:
        terminal.printer_url = _validate_printer(printer_url)
    if paper_width is not _UNSET:
        terminal.paper_width = _validate_paper(paper_width)
    if allow_negative_stock is not _UNSET:
        terminal.allow_negative_stock = bool(allow_negative_stock)
    if is_active is not _UNSET:
        terminal.is_active = bool(is_active)
    return _save(terminal)
