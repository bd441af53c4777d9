"""Find the POS objects a mutation names, scoped to the cafés of the caller (another café's object is "not found")."""

from pos.selectors import sales_for_user, shifts_for_user, terminals_for_user

from ..core.ids import get_node_or_error


def terminal_for(info, global_id, field="terminal"):
    return get_node_or_error(
        global_id, queryset=terminals_for_user(info.context.user), expected_type="PosTerminal", field=field
    )


def shift_for(info, global_id, field="shift"):
    return get_node_or_error(
        global_id, queryset=shifts_for_user(info.context.user), expected_type="PosShift", field=field
    )


def sale_for(info, global_id, field="sale"):
    return get_node_or_error(
        global_id, queryset=sales_for_user(info.context.user), expected_type="PosSale", field=field
    )
