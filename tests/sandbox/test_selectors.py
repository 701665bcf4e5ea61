"""Label and field selectors parse, match and fail as kube-apiserver 1.33 does.

Expected strings come from apimachinery's `pkg/labels` and `pkg/fields` (v0.33.0) and their
tests, and from the field label conversions and selectable field sets of the 1.33 registries.
"""

from dataclasses import dataclass, replace
from typing import Any

import pytest

from sandbox.apiserver.kinds import BUILTIN_KINDS, ResourceKind
from sandbox.apiserver.selectors import (
    FieldRequirement,
    FieldSelector,
    LabelSelector,
    Operator,
    Requirement,
    SelectorError,
    escape_field_value,
    object_fields,
    supported_field_labels,
)

KEY_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
    " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
    " for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
    " '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
    " 'my_value',  or '12345', regex used for validation is"
    " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
BINARY = "in, notin, =, ==, !=, gt, lt"


def kind(group: str, name: str) -> ResourceKind:
    return next(k for k in BUILTIN_KINDS if k.group == group and k.kind == name)


CUSTOM = ResourceKind(
    group="flink.apache.org",
    version="v1beta1",
    kind="FlinkDeployment",
    plural="flinkdeployments",
    singular="flinkdeployment",
    namespaced=True,
    custom=True,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("a=b", "a=b", id="equals"),
        pytest.param("a==b", "a==b", id="double-equals"),
        pytest.param("a!=b", "a!=b", id="not-equals"),
        pytest.param("a in (y,x)", "a in (x,y)", id="in-sorted"),
        pytest.param("a notin (x)", "a notin (x)", id="notin"),
        pytest.param("a", "a", id="exists"),
        pytest.param("!a", "!a", id="does-not-exist"),
        pytest.param("c=d,a=b", "a=b,c=d", id="sorted-by-key"),
        pytest.param("  a  =  b ,\tc ", "a=b,c", id="whitespace"),
        pytest.param("a=", "a=", id="empty-value"),
        pytest.param("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()", id="go-doc"),
        pytest.param("a in (x,x,y)", "a in (x,y)", id="in-deduplicated"),
        pytest.param("a in (in)", "a in (in)", id="keyword-as-value"),
        pytest.param("notin notin (in)", "notin notin (in)", id="keyword-as-key"),
        pytest.param("a>1,b<2", "a>1,b<2", id="gt-lt"),
        pytest.param("example.com/app=web", "example.com/app=web", id="prefixed-key"),
    ],
)
def test_label_selector_parses_to_its_canonical_form(text: str, canonical: str) -> None:
    assert str(LabelSelector.parse(text)) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "a b", f"unable to parse requirement: found 'b', expected: {BINARY}", id="no-op"
        ),
        pytest.param(
            "a@b", f'unable to parse requirement: <nil>: Invalid value: "a@b": {KEY_MSG}', id="key"
        ),
        pytest.param(
            "a=b@",
            f'unable to parse requirement: values[0][a]: Invalid value: "b@": {VALUE_MSG}',
            id="value",
        ),
        pytest.param("!a=b", "found '=', expected: ',' or 'end of string'", id="not-with-value"),
        pytest.param("a,", "found '', expected: identifier after ','", id="trailing-comma"),
        pytest.param(
            ",a", "found ',', expected: !, identifier, or 'end of string'", id="lead-comma"
        ),
        pytest.param(
            "a in x", "unable to parse requirement: found 'x' expected: '('", id="no-paren"
        ),
        pytest.param(
            "a in (x", "unable to parse requirement: found '', expected: ',' or ')'", id="open"
        ),
        pytest.param(
            "a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'", id="space"
        ),
        pytest.param(
            "a=(", "unable to parse requirement: found '(', expected: identifier", id="paren"
        ),
        pytest.param(
            "!", "unable to parse requirement: found '', expected: identifier", id="bare-not"
        ),
        pytest.param(
            "a>x",
            "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt'"
            " operators, the value must be an integer",
            id="gt-not-integer",
        ),
        pytest.param(
            "a/b/c=d",
            'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must'
            " consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
            " alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
            " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS"
            " subdomain prefix and '/' (e.g. 'example.com/MyName')",
            id="two-slashes",
        ),
        pytest.param(
            "Example.com/a",
            'unable to parse requirement: <nil>: Invalid value: "Example.com/a": prefix part a'
            " lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
            " or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            "regex used for validation is"
            " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            id="bad-prefix",
        ),
        pytest.param(
            "a=" + "v" * 64,
            f'unable to parse requirement: values[0][a]: Invalid value: "{"v" * 64}": must be no'
            " more than 63 characters",
            id="long-value",
        ),
    ],
)
def test_label_selector_errors_are_worded_as_the_server_words_them(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as raised:
        LabelSelector.parse(text)
    assert raised.value.message == message
    assert (raised.value.status, raised.value.reason) == (400, "BadRequest")


LABELS = {"app": "web", "tier": "front", "n": "5"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("app=web", True),
        ("app==db", False),
        ("app!=db", True),
        ("missing!=x", True),
        ("app in (db,web)", True),
        ("app notin (db,web)", False),
        ("missing notin (x)", True),
        ("missing in (x)", False),
        ("app", True),
        ("!app", False),
        ("!missing", True),
        ("app=web,tier=back", False),
        ("n>4", True),
        ("n<5", False),
        ("app>1", False),
        ("missing>1", False),
        ("tier in ()", False),
    ],
    ids=lambda v: str(v),
)
def test_label_selector_matches_labels(text: str, expected: bool) -> None:
    assert LabelSelector.parse(text).matches(LABELS) is expected


def test_label_selector_from_object_combines_labels_and_expressions() -> None:
    selector = LabelSelector.from_object(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["front", "edge"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "n", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"},
            ],
        }
    )
    assert str(selector) == "app=web,env notin (prod),!legacy,n,tier in (edge,front)"
    assert selector.matches(LABELS)
    assert not selector.matches({**LABELS, "legacy": "1"})
    assert not selector.matches({**LABELS, "env": "prod"})


def test_label_selector_from_none_selects_nothing_and_from_empty_everything() -> None:
    assert not LabelSelector.from_object(None).matches({})
    assert not LabelSelector.from_object(None).empty
    assert LabelSelector.from_object({}).empty
    assert LabelSelector.from_object({}).matches(LABELS)


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        pytest.param(
            {"matchExpressions": [{"key": "a", "operator": "Bad"}]},
            '"Bad" is not a valid label selector operator',
            id="operator",
        ),
        pytest.param(
            {"matchExpressions": [{"key": "a", "operator": "In"}]},
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't"
            " be empty",
            id="in-without-values",
        ),
        pytest.param(
            {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
            'values: Invalid value: []string{"x"}: values set must be empty for exists and does'
            " not exist",
            id="exists-with-values",
        ),
        pytest.param(
            {"matchLabels": {"a b": "c"}}, f'key: Invalid value: "a b": {KEY_MSG}', id="key"
        ),
        pytest.param(
            {"matchLabels": {"a": "c", "b": "d!"}},
            f'values[0][b]: Invalid value: "d!": {VALUE_MSG}',
            id="value",
        ),
    ],
)
def test_label_selector_from_object_errors(selector: dict[str, Any], message: str) -> None:
    with pytest.raises(SelectorError) as raised:
        LabelSelector.from_object(selector)
    assert raised.value.message == message


def test_requirement_reports_every_error_aggregated() -> None:
    with pytest.raises(SelectorError) as raised:
        Requirement.create("a@", Operator.EQUALS, ["x", "y"])
    message = raised.value.message
    assert message.startswith('[key: Invalid value: "a@": ')
    assert 'values: Invalid value: []string{"x", "y"}: exact-match compatibility' in message


def test_label_selector_from_set_matches_equal_pairs() -> None:
    selector = LabelSelector.from_set({"b": "2", "a": "1"})
    assert str(selector) == "a=1,b=2"
    assert selector.matches({"a": "1", "b": "2", "c": "3"})
    assert not selector.matches({"a": "1"})


@pytest.mark.parametrize(
    ("text", "requirements", "canonical"),
    [
        pytest.param("", (), "", id="empty"),
        pytest.param("a=b", (("a", "=", "b"),), "a=b", id="equals"),
        pytest.param("a==b", (("a", "=", "b"),), "a=b", id="double-equals"),
        pytest.param("a!=b", (("a", "!=", "b"),), "a!=b", id="not-equals"),
        pytest.param("b=1,a=2", (("a", "=", "2"), ("b", "=", "1")), "a=2,b=1", id="sorted"),
        pytest.param("a=b\\,c\\=d\\\\", (("a", "=", "b,c=d\\"),), "a=b\\,c\\=d\\\\", id="escaped"),
        pytest.param("a=", (("a", "=", ""),), "a=", id="empty-value"),
        pytest.param("a=b,", (("a", "=", "b"),), "a=b", id="trailing-comma"),
        pytest.param("a=!b", (("a", "=", "!b"),), "a=!b", id="first-operator-wins"),
    ],
)
def test_field_selector_parses_terms(
    text: str, requirements: tuple[tuple[str, str, str], ...], canonical: str
) -> None:
    selector = FieldSelector.parse(text)
    assert selector.requirements == tuple(FieldRequirement(*r) for r in requirements)
    assert str(selector) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a", "invalid selector: 'a'; can't understand 'a'", id="no-operator"),
        pytest.param("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'", id="second-term"),
        pytest.param("a=b=c", "invalid field selector: unescaped character in value: 61", id="eq"),
        pytest.param("a=b\\x", "invalid field selector: invalid escape sequence: \\x", id="escape"),
        pytest.param("a=b\\", "invalid field selector: invalid escape sequence: \\", id="trailing"),
    ],
)
def test_field_selector_errors(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as raised:
        FieldSelector.parse(text)
    assert raised.value.message == message


def test_escape_field_value_round_trips() -> None:
    value = "a,b=c\\d"
    assert FieldSelector.parse("f=" + escape_field_value(value)).requirements[0].value == value


@pytest.mark.parametrize(
    ("resource", "text", "converted"),
    [
        pytest.param(kind("", "Pod"), "spec.nodeName=n1", "spec.nodeName=n1", id="pod"),
        pytest.param(kind("", "Pod"), "spec.host=n1", "spec.nodeName=n1", id="pod-legacy-host"),
        pytest.param(
            kind("", "Node"), "spec.unschedulable=true", "spec.unschedulable=true", id="node"
        ),
        pytest.param(kind("", "Secret"), "type=Opaque", "type=Opaque", id="secret"),
        pytest.param(kind("", "Service"), "spec.type=NodePort", "spec.type=NodePort", id="svc"),
        pytest.param(
            kind("events.k8s.io", "Event"),
            "regarding.name=x,reportingController=c",
            "involvedObject.name=x,reportingComponent=c",
            id="events-k8s-io",
        ),
        pytest.param(CUSTOM, "metadata.name=x", "metadata.name=x", id="custom"),
        pytest.param(
            kind("apps", "Deployment"), "metadata.namespace=d", "metadata.namespace=d", id="dep"
        ),
    ],
)
def test_field_selector_converts_labels_for_the_kind(
    resource: ResourceKind, text: str, converted: str
) -> None:
    assert str(FieldSelector.parse(text).for_kind(resource)) == converted


@pytest.mark.parametrize(
    ("resource", "text", "field"),
    [
        pytest.param(kind("", "Pod"), "spec.foo=x", "spec.foo", id="pod"),
        pytest.param(kind("", "Pod"), "status.podIPs=x", "status.podIPs", id="pod-ips"),
        pytest.param(kind("", "Node"), "metadata.namespace=x", "metadata.namespace", id="node-ns"),
        pytest.param(kind("", "Namespace"), "name=x", "name", id="namespace-name"),
        pytest.param(kind("", "ConfigMap"), "data.x=y", "data.x", id="configmap"),
        pytest.param(CUSTOM, "spec.job.state=RUNNING", "spec.job.state", id="custom"),
        pytest.param(
            kind("events.k8s.io", "Event"), "involvedObject.name=x", "involvedObject.name", id="ev"
        ),
    ],
)
def test_field_selector_rejects_unsupported_labels(
    resource: ResourceKind, text: str, field: str
) -> None:
    with pytest.raises(SelectorError) as raised:
        FieldSelector.parse(text).for_kind(resource)
    assert raised.value.message == f"field label not supported: {field}"
    assert field not in supported_field_labels(resource)


POD = {
    "metadata": {"name": "p1", "namespace": "default"},
    "spec": {"nodeName": "n1", "restartPolicy": "Always", "schedulerName": "default-scheduler"},
    "status": {"phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}]},
}


def test_object_fields_of_a_pod() -> None:
    assert object_fields(kind("", "Pod"), POD) == {
        "metadata.name": "p1",
        "metadata.namespace": "default",
        "spec.nodeName": "n1",
        "spec.restartPolicy": "Always",
        "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "",
        "spec.hostNetwork": "false",
        "status.phase": "Running",
        "status.podIP": "10.0.0.5",
        "status.nominatedNodeName": "",
    }


@pytest.mark.parametrize(
    ("resource", "obj", "expected"),
    [
        pytest.param(
            kind("", "Node"),
            {"metadata": {"name": "n1"}, "spec": {"unschedulable": True}},
            {"metadata.name": "n1", "spec.unschedulable": "true"},
            id="node",
        ),
        pytest.param(
            kind("", "Namespace"),
            {"metadata": {"name": "ns"}, "status": {"phase": "Active"}},
            {"metadata.name": "ns", "status.phase": "Active"},
            id="namespace",
        ),
        pytest.param(
            kind("", "Secret"),
            {"metadata": {"name": "s", "namespace": "d"}, "type": "Opaque"},
            {"metadata.name": "s", "metadata.namespace": "d", "type": "Opaque"},
            id="secret",
        ),
        pytest.param(
            kind("apps", "ReplicaSet"),
            {"metadata": {"name": "r", "namespace": "d"}, "status": {"replicas": 3}},
            {"metadata.name": "r", "metadata.namespace": "d", "status.replicas": "3"},
            id="replicaset",
        ),
        pytest.param(
            CUSTOM,
            {"metadata": {"name": "f", "namespace": "d"}, "spec": {"x": 1}},
            {"metadata.name": "f", "metadata.namespace": "d"},
            id="custom",
        ),
    ],
)
def test_object_fields_per_kind(
    resource: ResourceKind, obj: dict[str, Any], expected: dict[str, str]
) -> None:
    assert object_fields(resource, obj) == expected


CORE_EVENT: dict[str, Any] = {
    "metadata": {"name": "e1", "namespace": "default"},
    "involvedObject": {
        "kind": "FlinkDeployment",
        "namespace": "default",
        "name": "basic",
        "uid": "u-1",
        "apiVersion": "flink.apache.org/v1beta1",
    },
    "reason": "Submit",
    "type": "Normal",
    "reportingComponent": "flinkop",
}


def test_kubectl_describe_event_selector_matches_the_objects_events() -> None:
    text = (
        "involvedObject.uid=u-1,involvedObject.name=basic,involvedObject.namespace=default,"
        "involvedObject.kind=FlinkDeployment"
    )
    event = kind("", "Event")
    selector = FieldSelector.parse(text).for_kind(event)
    assert selector.matches(object_fields(event, CORE_EVENT))
    other = {**CORE_EVENT, "involvedObject": {**CORE_EVENT["involvedObject"], "uid": "u-2"}}
    assert not selector.matches(object_fields(event, other))


def test_event_source_falls_back_to_the_reporting_component() -> None:
    fields = object_fields(kind("", "Event"), CORE_EVENT)
    assert (fields["source"], fields["reportingComponent"]) == ("flinkop", "flinkop")


def test_events_k8s_io_event_selects_on_regarding_fields() -> None:
    event = kind("events.k8s.io", "Event")
    obj = {
        "metadata": {"name": "e1", "namespace": "default"},
        "regarding": {"kind": "Pod", "name": "p1"},
        "reportingController": "kubelet",
        "type": "Warning",
    }
    selector = FieldSelector.parse("regarding.kind=Pod,type=Warning,source=kubelet").for_kind(event)
    assert selector.matches(object_fields(event, obj))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status.phase=Running", True),
        ("status.phase!=Running", False),
        ("spec.nodeName=n1,metadata.name=p1", True),
        ("spec.nodeName==n2", False),
        ("spec.serviceAccountName=", True),
        ("spec.hostNetwork=false", True),
        ("metadata.namespace=other", False),
    ],
)
def test_field_selector_matches_pods(text: str, expected: bool) -> None:
    pod = kind("", "Pod")
    assert FieldSelector.parse(text).for_kind(pod).matches(object_fields(pod, POD)) is expected


def test_cluster_scoped_objects_match_an_empty_namespace() -> None:
    crole = kind("rbac.authorization.k8s.io", "ClusterRole")
    fields = object_fields(crole, {"metadata": {"name": "admin"}})
    assert FieldSelector.parse("metadata.namespace=").for_kind(crole).matches(fields)
    assert not FieldSelector.parse("metadata.namespace=x").for_kind(crole).matches(fields)


@dataclass(frozen=True)
class SelectableKind(ResourceKind):
    """A catalogue entry that carries a CRD version's selectableFields."""

    selectable_fields: tuple[Any, ...] = ()


def test_cluster_scoped_custom_resources_do_not_select_on_namespace() -> None:
    cluster_custom = replace(CUSTOM, namespaced=False)
    with pytest.raises(SelectorError, match=r"^field label not supported: metadata\.namespace$"):
        FieldSelector.parse("metadata.namespace=x").for_kind(cluster_custom)
    assert supported_field_labels(cluster_custom) == {"metadata.name"}


def test_custom_resources_select_on_their_selectable_fields() -> None:
    custom = SelectableKind(
        **{f: getattr(CUSTOM, f) for f in ("group", "version", "kind", "plural", "singular")},
        namespaced=True,
        custom=True,
        selectable_fields=({"jsonPath": ".spec.job.state"}, ".spec.suspended", ".spec.replicas"),
    )
    obj = {
        "metadata": {"name": "f", "namespace": "d"},
        "spec": {"job": {"state": "running"}, "suspended": False, "replicas": 2},
    }
    fields = object_fields(custom, obj)
    assert fields == {
        "metadata.name": "f",
        "metadata.namespace": "d",
        "spec.job.state": "running",
        "spec.suspended": "false",
        "spec.replicas": "2",
    }
    selector = FieldSelector.parse("spec.job.state=running,spec.suspended=false").for_kind(custom)
    assert selector.matches(fields)
