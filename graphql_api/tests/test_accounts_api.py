"""tokenCreate, bearer auth, me, outlets, visits: including the permission matrix."""

import pytest
from graphql_relay import to_global_id

from accounts.models import ApiToken, Visit

TOKEN_CREATE = """
mutation($u: String!, $p: String!) { tokenCreate(username: $u, password: $p) { token user { username roles } errors { field code message } } }
"""
ME = "{ me { username roles } }"


@pytest.mark.django_db
def test_token_create_with_good_credentials_works_as_bearer(gql, cashier):
    data = gql(TOKEN_CREATE, {"u": "kasir", "p": "gemilang123"})["data"]["tokenCreate"]
    assert data["errors"] == []
    assert data["user"] == {"username": "kasir", "roles": ["cashier"]}
    me = gql(ME, token=data["token"])
    assert me["data"]["me"]["username"] == "kasir"
    assert ApiToken.objects.filter(user=cashier).count() == 1
    assert data["token"] not in ApiToken.objects.values_list("key_hash", flat=True)


@pytest.mark.django_db
def test_token_create_accepts_phone_as_login(gql, roles):
    from accounts.services.users import user_upsert

    user_upsert(username="siti", password="gemilang123", roles=["customer"], phone="081234567890", validate=False)
    data = gql(TOKEN_CREATE, {"u": "+62 812-3456-7890", "p": "gemilang123"})["data"]["tokenCreate"]
    assert data["errors"] == [] and data["user"]["username"] == "siti"


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "password"), [("kasir", "wrong"), ("nobody", "gemilang123"), ("0899", "x")])
def test_token_create_with_bad_credentials_returns_error(gql, cashier, username, password):
    data = gql(TOKEN_CREATE, {"u": username, "p": password})["data"]["tokenCreate"]
    assert data["token"] is None
    assert data["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_bad_or_revoked_bearer_token_is_anonymous(gql, cashier):
    from accounts.services.tokens import token_create_for_user, token_revoke

    assert gql(ME, token="gmn_not-a-token")["data"]["me"] is None
    token = token_create_for_user(user=cashier)
    token_revoke(raw=token)
    assert gql(ME, token=token)["data"]["me"] is None


@pytest.mark.django_db
def test_expired_token_is_anonymous(gql, cashier):
    import datetime

    from accounts.services.tokens import token_create_for_user

    token = token_create_for_user(user=cashier, ttl=datetime.timedelta(seconds=-1))
    assert gql(ME, token=token)["data"]["me"] is None


@pytest.mark.django_db
def test_outlets_are_public_with_total_count(gql, outlet, other_outlet):
    data = gql("{ outlets(first: 1) { totalCount edges { node { name code address } } pageInfo { hasNextPage } } }")
    assert data["data"]["outlets"]["totalCount"] == 2
    assert data["data"]["outlets"]["pageInfo"]["hasNextPage"] is True


@pytest.mark.django_db
def test_outlets_page_size_is_capped_at_100(gql, outlet):
    data = gql("{ outlets(first: 101) { totalCount } }")
    assert data["errors"]


@pytest.mark.django_db
def test_session_graphql_request_needs_csrf(client, cashier):
    client.force_login(cashier)
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cashier)
    response = strict.post("/graphql/", data={"query": ME}, content_type="application/json")
    assert response.status_code == 403


VISIT_OPEN = """
mutation($outlet: ID!) { visitOpen(outlet: $outlet) { visit { code qrPayload status } errors { field code message } } }
"""


def _visit_open_matrix():
    return [
        ("anonymous", False),
        ("customer_user", False),
        ("owner", False),
        ("curator", False),
        ("cashier", True),
        ("officer", True),
        ("manager", True),
        ("admin_user", True),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "allowed"), _visit_open_matrix())
def test_visit_open_permission_matrix(request, gql, outlet, who, allowed):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    data = gql(VISIT_OPEN, {"outlet": to_global_id("Outlet", outlet.pk)}, user=user)["data"]["visitOpen"]
    if allowed:
        assert data["errors"] == []
        assert len(data["visit"]["code"]) == 5
        assert Visit.objects.count() == 1
    else:
        assert data["visit"] is None
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"
        assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_cashier_cannot_open_visit_at_another_cafe(gql, cashier, other_outlet):
    data = gql(VISIT_OPEN, {"outlet": to_global_id("Outlet", other_outlet.pk)}, user=cashier)["data"]["visitOpen"]
    assert data["errors"][0]["code"] == "NOT_FOUND"
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_visit_attach_customer_and_lookup_by_code(gql, cashier, outlet):
    opened = gql(VISIT_OPEN, {"outlet": to_global_id("Outlet", outlet.pk)}, user=cashier)["data"]["visitOpen"]["visit"]
    visit = Visit.objects.get()
    attach = gql(
        """mutation($id: ID!, $phone: String!) { visitAttachCustomer(id: $id, phone: $phone) {
             visit { customer { phone phoneDisplay nikMasked } } errors { field code message } } }""",
        {"id": to_global_id("Visit", visit.pk), "phone": "0812 3456 7890"},
        user=cashier,
    )["data"]["visitAttachCustomer"]
    assert attach["errors"] == []
    assert attach["visit"]["customer"]["phone"] == "+6281234567890"
    found = gql(
        "query($c: String!, $o: ID!) { visit(code: $c, outlet: $o) { code status } }",
        {"c": opened["qrPayload"], "o": to_global_id("Outlet", outlet.pk)},
        user=cashier,
    )
    assert found["data"]["visit"]["code"] == opened["code"]


@pytest.mark.django_db
def test_visit_attach_customer_bad_phone_changes_nothing(gql, cashier, outlet):
    from accounts.models import Customer

    gql(VISIT_OPEN, {"outlet": to_global_id("Outlet", outlet.pk)}, user=cashier)
    visit = Visit.objects.get()
    data = gql(
        'mutation($id: ID!) { visitAttachCustomer(id: $id, phone: "12") { errors { field code message } } }',
        {"id": to_global_id("Visit", visit.pk)},
        user=cashier,
    )["data"]["visitAttachCustomer"]
    assert data["errors"][0] == {"field": "phone", "code": "INVALID_PHONE", "message": data["errors"][0]["message"]}
    assert Customer.objects.count() == 0


@pytest.mark.django_db
def test_visit_query_refused_for_anonymous_and_customers(gql, customer_user, outlet):
    query = 'query($o: ID!) { visit(code: "AAAAA", outlet: $o) { code } }'
    for user in (None, customer_user):
        data = gql(query, {"o": to_global_id("Outlet", outlet.pk)}, user=user)
        assert data["data"]["visit"] is None
        assert data["errors"][0]["message"]
