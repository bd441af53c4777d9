"""GraphQL API of the register: the documented shapes, permission matrices, outlet scoping."""

import uuid

import pytest
from graphql_relay import to_global_id

from pos.models import CashMovement, Refund, Sale, Shift, ShiftStatus, Terminal

SALE_COMPLETE = """
mutation($input: PosSaleCompleteInput!) {
  posSaleComplete(input: $input) {
    sale { id number status total { amount } change { amount } receiptUrl lines { id quantity } }
    errors { field code message }
  }
}"""
SHIFT_OPEN = """mutation($t: ID!, $c: Int!) { posShiftOpen(terminal: $t, openingCash: $c) {
  shift { id status openingCash { amount } } errors { field code message } } }"""
SHIFT_CLOSE = """mutation($s: ID!, $c: Int, $n: String) { posShiftClose(shift: $s, countedCash: $c, note: $n) {
  shift { status } report { kind expectedCash { amount } countedCash { amount } difference { amount } }
  errors { field code message } } }"""
CASH_MOVEMENT = """mutation($s: ID!, $a: Int!) { posCashMovement(shift: $s, kind: IN, amount: $a, reason: "modal") {
  cashMovement { amount { amount } } errors { code } } }"""
REFUND = """mutation($s: ID!, $l: [PosRefundLineInput!], $r: String!) { posSaleRefund(sale: $s, lines: $l, reason: $r) {
  refund { number total { amount } } sale { refunded { amount } } errors { field code message } } }"""
REPRINT = """mutation($s: ID!) { posReceiptReprint(sale: $s) { printStatus errors { code } } }"""
TERMINAL_CREATE = """mutation($o: ID!) { posTerminalCreate(outlet: $o, name: "Kasir 9", code: "K9", printerUrl: "dummy:", paperWidth: 58) {
  terminal { code paperWidth } errors { field code } } }"""

ROLES = ["anonymous", "customer_user", "officer", "curator", "owner", "other_owner", "cashier", "manager", "admin_user"]


def _user(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def _gid(obj, type_name):
    return to_global_id(type_name, obj.pk)


def _sale_input(shift, variant, quantity=2, **extra):
    return {
        "input": {
            "clientId": str(uuid.uuid4()),
            "shift": _gid(shift, "PosShift"),
            "lines": [{"variantId": to_global_id("ProductVariant", variant.pk), "quantity": quantity}],
            "payments": [{"method": "CASH", "amount": variant.price * quantity, "tendered": 50000}],
            **extra,
        }
    }


@pytest.mark.django_db
def test_sale_complete_returns_the_documented_shape(gql, shift, cashier, variant):
    data = gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)["data"]["posSaleComplete"]
    assert data["errors"] == []
    sale = data["sale"]
    assert sale["status"] == "COMPLETED" and sale["total"]["amount"] == 30000 and sale["change"]["amount"] == 20000
    assert sale["number"] == "GLR-K1-000001" and "/kasir/struk/" in sale["receiptUrl"]


@pytest.mark.django_db
def test_sale_complete_by_barcode_with_visit_code_and_retry(gql, shift, cashier, variant, outlet):
    from accounts.services.visits import visit_open

    visit = visit_open(outlet=outlet, channel="kiosk")
    variables = {
        "input": {
            "clientId": str(uuid.uuid4()),
            "shift": _gid(shift, "PosShift"),
            "visitCode": visit.code,
            "lines": [{"barcode": variant.sku, "quantity": 1}],
            "payments": [{"method": "CASH", "amount": 15000}],
        }
    }
    first = gql(SALE_COMPLETE, variables, user=cashier)["data"]["posSaleComplete"]
    again = gql(SALE_COMPLETE, variables, user=cashier)["data"]["posSaleComplete"]
    assert first["errors"] == [] and again["sale"]["id"] == first["sale"]["id"]
    assert Sale.objects.get().visit_id == visit.pk


@pytest.mark.django_db
def test_sale_errors_come_back_as_data(gql, shift, cashier, make_variant):
    scarce = make_variant(stock=1)
    data = gql(SALE_COMPLETE, _sale_input(shift, scarce, quantity=2), user=cashier)["data"]["posSaleComplete"]
    assert data["sale"] is None
    assert data["errors"][0]["code"] == "INSUFFICIENT_STOCK" and data["errors"][0]["field"] == "lines"
    assert "tersedia" in data["errors"][0]["message"].lower() or scarce.product.name in data["errors"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_sale_complete_permission_matrix(request, gql, role, shift, variant):
    user = _user(request, role)
    data = gql(SALE_COMPLETE, _sale_input(shift, variant), user=user)["data"]["posSaleComplete"]
    allowed = role in {"cashier", "manager", "admin_user"}
    assert bool(data["sale"]) is allowed
    assert Sale.objects.exists() is allowed
    if not allowed:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"


@pytest.mark.django_db
def test_cashier_of_another_cafe_cannot_see_or_use_this_shift(gql, shift, variant, other_outlet, make_user):
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    data = gql(SALE_COMPLETE, _sale_input(shift, variant), user=elsewhere)["data"]["posSaleComplete"]
    assert data["errors"][0]["code"] == "NOT_FOUND" and not Sale.objects.exists()
    query = gql("query($id: ID!) { posShift(id: $id) { id } }", {"id": _gid(shift, "PosShift")}, user=elsewhere)
    assert query["errors"]


@pytest.mark.django_db
def test_another_cafe_cannot_read_a_sale_by_replaying_its_client_id(
    gql, shift, cashier, variant, other_outlet, make_user
):
    from pos.services.shifts import shift_open
    from pos.services.terminals import terminal_create

    variables = _sale_input(shift, variant)
    assert gql(SALE_COMPLETE, variables, user=cashier)["data"]["posSaleComplete"]["errors"] == []
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    # With this café's shift: not found, as if neither existed.
    replay = gql(SALE_COMPLETE, variables, user=elsewhere)["data"]["posSaleComplete"]
    assert replay["sale"] is None and replay["errors"][0]["code"] == "NOT_FOUND"
    # With a shift of their own: the client id is taken, and nothing of the first sale is shown.
    own_terminal = terminal_create(outlet=other_outlet, name="Kasir 1", code="K1", printer_url="dummy:")
    own_shift = shift_open(terminal=own_terminal, cashier=elsewhere, opening_cash=0)
    variables["input"]["shift"] = _gid(own_shift, "PosShift")
    replay = gql(SALE_COMPLETE, variables, user=elsewhere)["data"]["posSaleComplete"]
    assert replay["sale"] is None and replay["errors"][0]["code"] == "DUPLICATE_CLIENT_ID"
    assert Sale.objects.count() == 1


@pytest.mark.django_db
def test_sale_complete_query_count_is_the_same_for_1_and_5_lines(
    client, shift, cashier, make_variant, django_capture_on_commit_callbacks
):
    """The whole request, as a register sends it: bearer token, permissions, the sale, its stock."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services.tokens import token_create_for_user

    variants = [make_variant(name=f"Produk {i}", price=1000 + i, stock=50) for i in range(5)]
    token = token_create_for_user(user=cashier)

    def ring(n):
        body = {
            "query": SALE_COMPLETE,
            "variables": {
                "input": {
                    "clientId": str(uuid.uuid4()),
                    "shift": _gid(shift, "PosShift"),
                    "lines": [{"variantId": _gid(v, "ProductVariant"), "quantity": 1} for v in variants[:n]],
                    "payments": [{"method": "CASH", "amount": sum(v.price for v in variants[:n])}],
                }
            },
        }
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks():
            response = client.post(
                "/graphql/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
        assert response.json()["data"]["posSaleComplete"]["errors"] == []
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]

    ring(1)  # the token's first use records when it was used
    one, five = ring(1), ring(5)
    # Token, permissions, the repeat check, then in the transaction: the shift (locked, with the
    # cashier's café check), the variants, the receipt number, the sale, its lines, its payment, the
    # stock rows (locked), the reservations, the stock update, the ledger lines. The response's
    # `lines { … }` come from memory.
    assert len(one) == len(five) == 13, "\n".join(five)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_shift_open_permission_matrix(request, gql, role, terminal):
    user = _user(request, role)
    data = gql(SHIFT_OPEN, {"t": _gid(terminal, "PosTerminal"), "c": 100000}, user=user)["data"]["posShiftOpen"]
    allowed = role in {"cashier", "manager", "admin_user"}
    assert bool(data["shift"]) is allowed and Shift.objects.exists() is allowed
    if allowed:
        assert data["shift"]["openingCash"]["amount"] == 100000


@pytest.mark.django_db
def test_shift_close_reports_expected_counted_difference(gql, shift, cashier, variant):
    gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)
    gql(CASH_MOVEMENT, {"s": _gid(shift, "PosShift"), "a": 5000}, user=cashier)
    refused = gql(SHIFT_CLOSE, {"s": _gid(shift, "PosShift"), "c": 100000}, user=cashier)["data"]["posShiftClose"]
    assert refused["errors"][0]["code"] == "EXPLANATION_REQUIRED"
    data = gql(SHIFT_CLOSE, {"s": _gid(shift, "PosShift"), "c": 236000}, user=cashier)["data"]["posShiftClose"]
    assert data["errors"] == []
    report = data["report"]
    assert report["kind"] == "Z"
    assert (report["expectedCash"]["amount"], report["countedCash"]["amount"], report["difference"]["amount"]) == (
        235000,
        236000,
        1000,
    )
    assert data["shift"]["status"] == "CLOSED"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_shift_close_and_cash_movement_permission_matrix(request, gql, role, shift):
    user = _user(request, role)
    allowed = role in {"cashier", "manager", "admin_user"}
    moved = gql(CASH_MOVEMENT, {"s": _gid(shift, "PosShift"), "a": 5000}, user=user)["data"]["posCashMovement"]
    assert bool(moved["cashMovement"]) is allowed and CashMovement.objects.exists() is allowed
    closed = gql(SHIFT_CLOSE, {"s": _gid(shift, "PosShift"), "c": 205000 if allowed else 0}, user=user)["data"][
        "posShiftClose"
    ]
    shift.refresh_from_db()
    assert (shift.status == ShiftStatus.CLOSED) is allowed, closed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_refund_permission_matrix(request, gql, role, shift, cashier, variant):
    sale_id = gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)["data"]["posSaleComplete"]["sale"]["id"]
    user = _user(request, role)
    data = gql(REFUND, {"s": sale_id, "l": None, "r": "rusak"}, user=user)["data"]["posSaleRefund"]
    allowed = role in {"manager", "admin_user"}  # refunds need pos.add_refund: not a plain cashier
    assert bool(data["refund"]) is allowed and Refund.objects.exists() is allowed
    if allowed:
        assert data["refund"]["total"]["amount"] == 30000 and data["sale"]["refunded"]["amount"] == 30000


@pytest.mark.django_db
def test_partial_refund_by_line(gql, shift, cashier, manager, variant):
    sale = gql(SALE_COMPLETE, _sale_input(shift, variant, quantity=2), user=cashier)["data"]["posSaleComplete"]["sale"]
    line_id = sale["lines"][0]["id"]
    data = gql(REFUND, {"s": sale["id"], "l": [{"line": line_id, "quantity": 1}], "r": "rusak"}, user=manager)
    assert data["data"]["posSaleRefund"]["refund"]["total"]["amount"] == 15000
    too_many = gql(REFUND, {"s": sale["id"], "l": [{"line": line_id, "quantity": 2}], "r": "rusak"}, user=manager)
    assert too_many["data"]["posSaleRefund"]["errors"][0]["code"] == "REFUND_EXCEEDS_SALE"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_reprint_permission_matrix(request, gql, role, shift, cashier, variant):
    from core.models import PrintJob

    sale_id = gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)["data"]["posSaleComplete"]["sale"]["id"]
    before = PrintJob.objects.count()
    data = gql(REPRINT, {"s": sale_id}, user=_user(request, role))["data"]["posReceiptReprint"]
    allowed = role in {"cashier", "manager", "admin_user"}
    assert (data["errors"] == []) is allowed
    assert (PrintJob.objects.count() == before + 1) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_terminal_create_permission_matrix(request, gql, role, outlet):
    data = gql(TERMINAL_CREATE, {"o": _gid(outlet, "Outlet")}, user=_user(request, role))["data"]["posTerminalCreate"]
    allowed = role in {"manager", "admin_user"}
    assert bool(data["terminal"]) is allowed and Terminal.objects.exists() is allowed
    if allowed:
        assert data["terminal"] == {"code": "K9", "paperWidth": 58}


@pytest.mark.django_db
def test_pos_shift_and_pos_sales_queries(gql, shift, cashier, variant, django_assert_max_num_queries):
    for _ in range(3):
        gql(SALE_COMPLETE, _sale_input(shift, variant, quantity=1), user=cashier)
    query = """query($id: ID!) {
      posShift(id: $id) { status expectedCash { amount } summary }
      posSales(shift: $id, first: 10) { totalCount edges { node { number total { amount } lines { productName } } } }
    }"""
    from accounts.services.tokens import token_create_for_user

    token = token_create_for_user(user=cashier)
    with django_assert_max_num_queries(25):
        data = gql(query, {"id": _gid(shift, "PosShift")}, token=token)["data"]
    assert data["posShift"]["expectedCash"]["amount"] == 245000
    assert data["posSales"]["totalCount"] == 3 and len(data["posSales"]["edges"]) == 3
    anonymous = gql(query, {"id": _gid(shift, "PosShift")})
    assert anonymous["errors"] and not anonymous["data"]["posShift"]


TERMINAL_UPDATE = """mutation($id: ID!) { posTerminalUpdate(id: $id, name: "Kasir Depan", paperWidth: 58) {
  terminal { name paperWidth } errors { field code } } }"""
REPORT_X = (
    """mutation($s: ID!) { posShiftReportX(shift: $s) { report { kind expectedCash { amount } } errors { code } } }"""
)
PAYMENT_CHECK = """mutation($s: ID!) { posSalePaymentCheck(sale: $s) { errors { code } } }"""
PAYMENT_CANCEL = """mutation($s: ID!) { posSalePaymentCancel(sale: $s) { errors { code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_terminal_update_permission_matrix(request, gql, role, terminal):
    data = gql(TERMINAL_UPDATE, {"id": _gid(terminal, "PosTerminal")}, user=_user(request, role))["data"]
    allowed = role in {"manager", "admin_user"}
    terminal.refresh_from_db()
    assert (terminal.name == "Kasir Depan" and terminal.paper_width == 58) is allowed
    if not allowed:
        assert data["posTerminalUpdate"]["errors"][0]["code"] in {"PERMISSION_DENIED", "NOT_FOUND"}
        assert terminal.name == "Kasir 1" and terminal.paper_width == 80


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_shift_report_x_permission_matrix(request, gql, role, shift):
    from pos.models import ShiftReport

    data = gql(REPORT_X, {"s": _gid(shift, "PosShift")}, user=_user(request, role))["data"]["posShiftReportX"]
    allowed = role in {"cashier", "manager", "admin_user"}
    assert bool(data["report"]) is allowed and ShiftReport.objects.exists() is allowed
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.OPEN  # an X report never closes the shift
    if allowed:
        assert data["report"]["kind"].lower() == "x"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", [PAYMENT_CHECK, PAYMENT_CANCEL])
def test_sale_payment_check_and_cancel_permission_matrix(request, gql, role, mutation, shift, cashier, variant):
    sale_id = gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)["data"]["posSaleComplete"]["sale"]["id"]
    before = list(Sale.objects.values_list("pk", "status"))
    data = gql(mutation, {"s": sale_id}, user=_user(request, role))["data"]
    errors = next(iter(data.values()))["errors"]
    allowed = role in {"cashier", "manager", "admin_user"}
    denied = bool(errors) and errors[0]["code"] == "PERMISSION_DENIED"
    assert denied is not allowed
    # A completed cash sale has no QRIS to check or cancel: nothing changes for anybody.
    assert list(Sale.objects.values_list("pk", "status")) == before


QRIS_PRINT = """mutation($s: ID!) { posSaleQrisPrint(sale: $s) { printStatus errors { code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_sale_qris_print_permission_matrix(request, gql, role, midtrans_server, shift, cashier, variant):
    from core.models import PrintJob

    variables = _sale_input(shift, variant, quantity=1)
    variables["input"]["payments"] = [{"method": "QRIS", "amount": variant.price}]
    sale = gql(SALE_COMPLETE, variables, user=cashier)["data"]["posSaleComplete"]["sale"]
    assert sale["status"] == "AWAITING_PAYMENT"
    data = gql(QRIS_PRINT, {"s": sale["id"]}, user=_user(request, role))["data"]["posSaleQrisPrint"]
    allowed = role in {"cashier", "manager", "admin_user"}
    # In a test the transaction never commits, so the job stays pending (delivery runs after commit).
    assert (data["printStatus"] == "PENDING") is allowed
    assert PrintJob.objects.filter(document__startswith="qris:").exists() is allowed
    if not allowed:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"


NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


@pytest.mark.django_db
def test_node_by_global_id_shows_only_what_the_caller_may_see(
    gql, shift, cashier, manager, variant, customer_user, other_outlet, make_user, outlet
):
    from accounts.services.visits import visit_open

    gql(SALE_COMPLETE, _sale_input(shift, variant), user=cashier)
    sale = Sale.objects.get()
    visit = visit_open(outlet=outlet, channel="kiosk")
    elsewhere = make_user("kasir_durenan", "cashier", [other_outlet])
    private = {
        "PosSale": sale,
        "PosShift": shift,
        "PosTerminal": shift.terminal,
        "User": cashier,
        "Visit": visit,  # no rule: never by global id
        "PosCashMovementRecord": shift,  # no rule either
    }
    for who in (None, customer_user, elsewhere):
        for type_name, obj in private.items():
            data = gql(NODE, {"id": _gid(obj, type_name)}, user=who)["data"]
            assert data["node"] is None, (who, type_name)
    # Staff of the café see its POS objects; a user sees themself; public catalogue objects are public.
    for type_name in ("PosSale", "PosShift", "PosTerminal"):
        node = gql(NODE, {"id": _gid(private[type_name], type_name)}, user=manager)["data"]["node"]
        assert node["__typename"] == type_name
    assert gql(NODE, {"id": _gid(cashier, "User")}, user=cashier)["data"]["node"]["__typename"] == "User"
    assert gql(NODE, {"id": _gid(visit, "Visit")}, user=manager)["data"]["node"] is None
    assert gql(NODE, {"id": _gid(outlet, "Outlet")})["data"]["node"]["__typename"] == "Outlet"
    product = gql(NODE, {"id": _gid(variant.product, "Product")})["data"]["node"]
    assert product["__typename"] == "Product"
    assert gql(NODE, {"id": "bm90LWFuLWlk"})["data"]["node"] is None  # garbage id: null, no error
