import graphene

from accounts.selectors import outlets_for_user
from pos.error_codes import PosErrorCode
from pos.services.terminals import terminal_create, terminal_update

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..lookups import terminal_for
from ..types import TerminalType


class PosTerminalCreate(BaseMutation):
    """Register a terminal at a café with its receipt printer and paper width."""

    terminal = graphene.Field(TerminalType)

    class Arguments:
        outlet = graphene.ID(required=True)
        name = graphene.String(required=True)
        code = graphene.String(required=True)
        printer_url = graphene.String(default_value="")
        paper_width = graphene.Int(default_value=80)
        allow_negative_stock = graphene.Boolean(default_value=False)

    class Meta:
        permissions = ("pos.add_terminal",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, outlet, **data):
        outlet_obj = get_node_or_error(
            outlet, queryset=outlets_for_user(info.context.user), expected_type="Outlet", field="outlet"
        )
        return cls(terminal=terminal_create(outlet=outlet_obj, **data))


class PosTerminalUpdate(BaseMutation):
    """Change a terminal's name, printer, paper width, negative-stock permission or activity."""

    terminal = graphene.Field(TerminalType)

    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String()
        printer_url = graphene.String()
        paper_width = graphene.Int()
        allow_negative_stock = graphene.Boolean()
        is_active = graphene.Boolean()

    class Meta:
        permissions = ("pos.change_terminal",)
        error_type_class = PosErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, **data):
        terminal = terminal_for(info, id, field="id")
        return cls(terminal=terminal_update(terminal=terminal, **{k: v for k, v in data.items() if v is not None}))
