"""The endpoint: a repeated operation reuses its validated document; everything else behaves as before."""

import json

import pytest

from graphql_api.views import CACHED_QUERY_MAX_LENGTH, validated_document

OUTLETS = "{ outlets(first: 5) { totalCount edges { node { code } } } }"


def _post(client, query, variables=None):
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.mark.django_db
def test_a_repeated_query_is_validated_once_and_answers_the_same(client, outlet):
    validated_document.cache_clear()
    first = _post(client, OUTLETS)
    second = _post(client, OUTLETS)
    assert first == second and first[0] == 200
    assert first[1]["data"]["outlets"]["totalCount"] == 1
    info = validated_document.cache_info()
    assert (info.misses, info.hits) == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ outlets(first: 5) { nope } }", "Cannot query field 'nope'"),
        ("{ outlets(first: ", "Syntax Error"),
    ],
)
def test_invalid_queries_are_reported_every_time(client, query, message):
    for _ in range(2):
        status, body = _post(client, query)
        assert status == 400 and message in body["errors"][0]["message"]


@pytest.mark.django_db
def test_operation_name_and_variables_still_apply_to_a_cached_document(client, outlet, other_outlet):
    query = """query A { outlets(first: 1) { edges { node { code } } } }
               query B($n: Int!) { outlets(first: $n) { totalCount edges { node { code } } } }"""
    for _ in range(2):
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "operationName": "B", "variables": {"n": 2}}),
            content_type="application/json",
        )
        assert len(response.json()["data"]["outlets"]["edges"]) == 2
    missing = client.post("/graphql/", json.dumps({"query": query}), content_type="application/json").json()
    assert "operation name" in missing["errors"][0]["message"]


@pytest.mark.django_db
def test_very_long_queries_are_not_kept(client, outlet):
    validated_document.cache_clear()
    padded = OUTLETS + " " * CACHED_QUERY_MAX_LENGTH
    assert _post(client, padded)[0] == 200
    assert validated_document.cache_info().currsize == 0


@pytest.mark.django_db
def test_a_mutation_over_get_is_still_refused(client):
    response = client.get("/graphql/", {"query": 'mutation { tokenRevoke(token: "x") { errors { code } } }'})
    assert response.status_code == 405


@pytest.mark.django_db
def test_queries_deeper_than_the_limit_are_refused(client, outlet):
    chain = "parent { " * 12 + "code" + " }" * 12
    deep = "{ outlets(first: 1) { edges { node { " + chain + " } } } }"
    for _ in range(2):  # refused every time: an invalid document is never kept
        status, body = _post(client, deep)
        assert status == 400 and "exceeds maximum operation depth" in body["errors"][0]["message"]
    shallow = "{ outlets(first: 1) { edges { node { parent { parent { code } } } } } }"
    assert _post(client, shallow)[0] == 200


@pytest.mark.django_db
def test_introspection_is_not_counted_in_the_depth(client):
    from graphql import get_introspection_query

    status, body = _post(client, get_introspection_query())
    assert status == 200 and body["data"]["__schema"]["queryType"]["name"] == "Query"
