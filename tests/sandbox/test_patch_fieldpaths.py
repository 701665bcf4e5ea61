"""Field sets and their FieldsV1 encoding, as structured-merge-diff writes and reads them."""

import pytest

from sandbox.apiserver.patch.fieldpaths import FieldSet, PathElement, path_string

F = PathElement.field_name
K = PathElement.key
V = PathElement.value


def test_fields_v1_orders_fields_keys_values_and_marks_members_with_dot() -> None:
    containers = (F("spec"), F("containers"))
    nginx = (*containers, K([("name", "nginx")]))
    fields = FieldSet(
        [
            (F("spec"), F("replicas")),
            nginx,
            (*nginx, F("image")),
            (*nginx, F("ports"), K([("protocol", "TCP"), ("containerPort", 80)])),
            (F("metadata"), F("finalizers"), V("b")),
            (F("metadata"), F("finalizers"), V("a")),
            (F("metadata"), F("labels"), F("app")),
        ]
    )
    encoded = fields.to_fields_v1()
    assert encoded == {
        "f:metadata": {
            "f:finalizers": {'v:"a"': {}, 'v:"b"': {}},
            "f:labels": {"f:app": {}},
        },
        "f:spec": {
            "f:containers": {
                'k:{"name":"nginx"}': {
                    ".": {},
                    "f:image": {},
                    "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {}},
                }
            },
            "f:replicas": {},
        },
    }
    assert list(encoded["f:spec"]) == ["f:containers", "f:replicas"]
    assert list(encoded["f:spec"]["f:containers"]['k:{"name":"nginx"}']) == [
        ".",
        "f:image",
        "f:ports",
    ]
    assert FieldSet.from_fields_v1(encoded) == fields


def test_values_order_by_type_then_value() -> None:
    fields = FieldSet([(V(x),) for x in ["b", 2, True, "a", 1.5]])
    assert list(fields.to_fields_v1()) == ["v:1.5", "v:2", 'v:"a"', 'v:"b"', "v:true"]


def test_key_elements_escape_html_like_go() -> None:
    assert K([("name", "a<b>&")]).serialize() == 'k:{"name":"a\\u003cb\\u003e\\u0026"}'


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param((F("spec"), F("replicas")), ".spec.replicas", id="fields"),
        pytest.param(
            (F("spec"), F("ports"), K([("protocol", "TCP"), ("port", 80)]), F("name")),
            '.spec.ports[port=80,protocol="TCP"].name',
            id="key",
        ),
        pytest.param(
            (F("metadata"), F("finalizers"), V("x")), '.metadata.finalizers[="x"]', id="value"
        ),
        pytest.param((F("args"), PathElement.index(2)), ".args[2]", id="index"),
    ],
)
def test_paths_print_as_go_prints_them(path: tuple[PathElement, ...], text: str) -> None:
    assert path_string(path) == text


def test_decoding_ignores_unknown_element_types_and_treats_empty_as_member() -> None:
    fields = FieldSet.from_fields_v1({"f:a": {"x:future": {}}, "f:b": {".": {}, "f:c": {}}})
    assert fields == FieldSet([(F("a"),), (F("b"),), (F("b"), F("c"))])


@pytest.mark.parametrize(
    "fields",
    [{"q": {}}, {"fx": {}}, {"k:[1]": {}}, {"i:x": {}}, {"f:a": 1}],
    ids=["short", "no-colon", "key-not-object", "bad-index", "not-object"],
)
def test_decoding_rejects_malformed_fields(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is Go's parser's
        FieldSet.from_fields_v1(fields)


def test_recursive_difference_removes_children_of_removed_paths() -> None:
    fields = FieldSet([(F("a"),), (F("a"), F("b")), (F("c"),)])
    assert fields.recursive_difference(FieldSet([(F("a"),)])) == FieldSet([(F("c"),)])
    assert fields - FieldSet([(F("a"),)]) == FieldSet([(F("a"), F("b")), (F("c"),)])


def test_iteration_lists_a_nodes_members_before_its_children() -> None:
    fields = FieldSet([(F("spec"), F("x"), F("y")), (F("spec"), F("z")), (F("a"),)])
    assert [path_string(p) for p in fields] == [".a", ".spec.z", ".spec.x.y"]
