"""The JSONPath dialect behaves as client-go's `util/jsonpath`, case for case.

Most cases are client-go's own (`jsonpath_test.go`: TestStructInput, TestJSONInput,
TestKubernetes and the failure tables), rendered through `execute` the way `Execute` renders
them; the rest are the printer-column paths CRDs use and the Go-specific corners (kinds in
comparisons, `[]`, dotted dict keys, out-of-range indexes).
"""

import json
import re
from typing import Any

import pytest

from sandbox.apiserver.jsonpath import JSONPathError, evaluate, execute, find_results, to_text

STORE: dict[str, Any] = {
    "Name": "jsonpath",
    "Book": [
        {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings", "Price": 8.95},
        {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword", "Price": 12.99},
        {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99},
    ],
    "Bicycle": [
        {"Color": "red", "Price": 19.95, "IsNew": True},
        {"Color": "green", "Price": 20.01, "IsNew": False},
    ],
    "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
    "Employees": {"jason": "manager", "dan": "clerk"},
}

POINTS = json.loads(
    """[
    {"id": "i1", "x": 4, "y": -5},
    {"id": "i2", "x": -2, "y": -5, "z": 1},
    {"id": "i3", "x": 8, "y": 3},
    {"id": "i4", "x": -6, "y": -1},
    {"id": "i5", "x": 0, "y": 2, "z": 1},
    {"id": "i6", "x": 1, "y": 4},
    {"id": "i7", "x": null, "y": 4}
]"""
)

NODES: dict[str, Any] = {
    "kind": "List",
    "items": [
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
            "status": {
                "capacity": {"cpu": "4"},
                "ready": True,
                "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}],
            },
        },
        {
            "kind": "None",
            "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
            "status": {
                "capacity": {"cpu": "8"},
                "ready": False,
                "addresses": [
                    {"type": "LegacyHostIP", "address": "127.0.0.2"},
                    {"type": "another", "address": "127.0.0.3"},
                ],
            },
        },
    ],
    "users": [
        {"name": "myself", "user": {}},
        {"name": "e2e", "user": {"username": "admin", "password": "secret"}},
    ],
}


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        pytest.param("hello jsonpath", None, "hello jsonpath", id="plain"),
        pytest.param("{..}", [1, 2, 3], "[1,2,3]", id="recursive"),
        pytest.param("{[?(@<5)]}", [2, 6, 3, 7], "2 3", id="filter"),
        pytest.param('{"{"}', None, "{", id="quote"),
        pytest.param("{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4", id="union"),
        pytest.param("{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday", id="array"),
        pytest.param("hello {.Name}", STORE, "hello jsonpath", id="variable"),
        pytest.param("{$.Labels.web/html}", STORE, "15", id="dict-slash"),
        pytest.param("{$.Employees.jason}", STORE, "manager", id="dict-dollar"),
        pytest.param("{.Labels.k8s-app}", STORE, "20", id="dict-dash"),
        pytest.param("{.Bicycle[*].Color}", STORE, "red green", id="nest"),
        pytest.param(
            "{.Book[*].Author}",
            STORE,
            "Nigel Rees Evelyn Waugh Herman Melville",
            id="allarray",
        ),
        pytest.param("{..Price}", STORE, "8.95 12.99 8.99 19.95 20.01", id="recurfields"),
        pytest.param("{...Price}", STORE, "8.95 12.99 8.99 19.95 20.01", id="recurdotfields"),
        pytest.param(
            "{.Book[-1:]}",
            STORE,
            '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}',
            id="lastarray",
        ),
        pytest.param(
            "{..Book[2]}",
            STORE,
            '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}',
            id="recurarray",
        ),
        pytest.param(
            "{.Bicycle[?(@.IsNew==true)]}",
            STORE,
            '{"Color":"red","IsNew":true,"Price":19.95}',
            id="bool-filter",
        ),
        pytest.param("{[?(@.z)].id}", POINTS, "i2 i5", id="exists-filter"),
        pytest.param("{[0]['id']}", POINTS, "i1", id="bracket-key"),
        pytest.param("{[-1]['x']}", POINTS, "null", id="nil-value"),
        pytest.param(
            "{.items[*].status.addresses[*].address}",
            NODES,
            "127.0.0.1 127.0.0.2 127.0.0.3",
            id="range-addresses",
        ),
        pytest.param("{.items[*].metadata.name}", NODES, "127.0.0.1 127.0.0.2", id="item-name"),
        pytest.param(
            "{.items[*]['metadata.name', 'status.capacity']}",
            NODES,
            '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}',
            id="union-nodes-capacity",
        ),
        pytest.param('{.users[?(@.name=="e2e")].user.password}', NODES, "secret", id="password"),
        pytest.param(
            r"{.items[0].metadata.labels.kubernetes\.io/hostname}",
            NODES,
            "127.0.0.1",
            id="escaped-dots",
        ),
        pytest.param(
            r'{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}',
            NODES,
            "None",
            id="escaped-dots-in-filter",
        ),
        pytest.param(
            "{.items[?(@..ready==true)].metadata.name}", NODES, "127.0.0.1", id="bool-item"
        ),
        pytest.param("{.hello}", STORE, "", id="missing-key-allowed"),
        pytest.param("before-{.hello}after", STORE, "before-after", id="missing-key-in-text"),
    ],
)
def test_execute_renders_like_client_go(template: str, data: object, expected: str) -> None:
    assert execute(template, data) == expected


def test_recursive_descent_finds_every_name() -> None:
    assert sorted(map(str, evaluate("..name", NODES))) == [
        "127.0.0.1",
        "127.0.0.2",
        "e2e",
        "myself",
    ]


@pytest.mark.parametrize(
    ("template", "data", "message"),
    [
        pytest.param("{hello}", STORE, "unrecognized identifier hello", id="identifier"),
        pytest.param("{.Labels[0]}", STORE, "map[string]interface {} is not array", id="array"),
        pytest.param(
            "{.Book[?(@.Price<>10)]}", STORE, "unrecognized filter operator <>", id="operator"
        ),
        pytest.param(
            "{............Price}", STORE, "invalid multiple recursive descent", id="superrecursive"
        ),
        pytest.param("{.Book[5]}", STORE, "array index out of bounds: index 5, length 3", id="oob"),
        pytest.param("{.Book[5:9]}", STORE, "array index out of bounds: index 5", id="oob-range"),
        pytest.param("{.Book[-4]}", STORE, "array index out of bounds: index -1", id="neg-oob"),
        pytest.param("{.Book[0:1:0]}", STORE, "step must be > 0", id="zero-step"),
        pytest.param("{.Book[a]}", STORE, "invalid array index a", id="bad-index"),
        pytest.param("{.Name", STORE, "unclosed action", id="unclosed"),
        pytest.param("{.Book[0}", STORE, "unterminated array", id="unterminated-array"),
        pytest.param("{.Book[?(@.Price>1}", STORE, "unterminated filter", id="unterminated-filter"),
        pytest.param('{"abc}', STORE, "unterminated quoted string", id="unterminated-quote"),
        pytest.param("{#}", STORE, "unrecognized character in action: U+0023 '#'", id="char"),
        pytest.param(
            "{.Book[?(@.Price==8)]}", STORE, "incompatible types for comparison", id="int-vs-float"
        ),
        pytest.param(
            '{.Book[?(@.Price<"x")]}', STORE, "incompatible types for comparison", id="mixed-kinds"
        ),
        pytest.param(
            "{.Bicycle[?(@.IsNew<true)]}", STORE, "invalid type for comparison", id="bool-order"
        ),
        pytest.param("{.Name[?(@==1)]}", STORE, "cannot be filtered", id="filter-on-scalar"),
        pytest.param("{range .Book[*]}{.Title}{end}", STORE, "not supported", id="range"),
    ],
)
def test_failures_carry_client_go_messages(template: str, data: object, message: str) -> None:
    with pytest.raises(JSONPathError, match=re.escape(message)):
        execute(template, data)


def test_missing_keys_are_errors_when_not_allowed() -> None:
    with pytest.raises(JSONPathError, match="hello is not found"):
        evaluate(".hello", STORE, allow_missing_keys=False)


FLINK: dict[str, Any] = {
    "apiVersion": "flink.apache.org/v1beta1",
    "kind": "FlinkDeployment",
    "metadata": {"name": "basic", "labels": {"app.kubernetes.io/name": "basic"}},
    "spec": {"job": {"parallelism": 2, "jarURI": "local:///opt/flink/examples/a.jar"}},
    "status": {
        "jobStatus": {"state": "RUNNING", "jobName": "basic"},
        "lifecycleState": "STABLE",
        "conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "Reconciling", "status": "False"},
        ],
        "taskManager": {"replicas": 2, "labelSelector": "component=taskmanager"},
    },
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(".status.jobStatus.state", ["RUNNING"], id="dotted"),
        pytest.param("{.status.jobStatus.state}", ["RUNNING"], id="braced"),
        pytest.param("status.lifecycleState", ["STABLE"], id="no-leading-dot"),
        pytest.param(".status.conditions[0].type", ["Ready"], id="index"),
        pytest.param(".status.conditions[-1].type", ["Reconciling"], id="negative-index"),
        pytest.param(".status.conditions[*].status", ["True", "False"], id="wildcard-index"),
        pytest.param('.status.conditions[?(@.type=="Ready")].status', ["True"], id="filter"),
        pytest.param(".status.conditions[?(@.type=='Reconciling')].status", ["False"], id="sq"),
        pytest.param(".spec.job.parallelism", [2], id="integer"),
        pytest.param(".status.taskManager", [FLINK["status"]["taskManager"]], id="object"),
        pytest.param(".status.missing.deeper", [], id="missing"),
        pytest.param(".status.conditions[2:2]", [], id="empty-range-is-nothing"),
        pytest.param(".status.conditions[]", [FLINK["status"]["conditions"][0]], id="empty-index"),
        pytest.param(r".metadata.labels.app\.kubernetes\.io/name", ["basic"], id="escaped-key"),
        pytest.param(".metadata.labels['app.kubernetes.io/name']", [], id="dict-key-splits-dots"),
        pytest.param(".status.*", list(FLINK["status"].values()), id="wildcard-field"),
        pytest.param(".status.jobStatus.state.x", [], id="field-of-scalar"),
        pytest.param(".status.conditions[0:2:2].type", ["Ready"], id="step"),
    ],
)
def test_evaluate_selects_what_printer_columns_select(expr: str, expected: list[object]) -> None:
    assert evaluate(expr, FLINK) == expected


def test_find_results_keeps_one_list_per_block() -> None:
    assert find_results("x={.metadata.name} {.spec.job.parallelism}", FLINK) == [
        ["x="],
        ["basic"],
        [" "],
        [2],
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("text", "text", id="string"),
        pytest.param(3, "3", id="int"),
        pytest.param(1.5, "1.5", id="float"),
        pytest.param(1.0, "1", id="integral-float"),
        pytest.param(1e6, "1e+06", id="float-exponent"),
        pytest.param(True, "true", id="bool"),
        pytest.param(None, "null", id="null"),
        pytest.param({"b": 1, "a": "<x>"}, '{"a":"\\u003cx\\u003e","b":1}', id="object"),
        pytest.param([1, "a"], '[1,"a"]', id="list"),
    ],
)
def test_values_print_as_go_prints_them(value: object, expected: str) -> None:
    assert to_text(value) == expected
