from core.exceptions import DomainError


def form_add_domain_error(form, exc: DomainError) -> None:
    """Show a domain refusal on the form field it is about (or on the whole form)."""
    for err in exc.as_errors():
        field = err.get("field")
        form.add_error(field if field in form.fields else None, err["message"])
