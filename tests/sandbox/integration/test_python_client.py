"""The `kubernetes` Python client against the emulator: the API semantics controllers rely on.

Controllers written with this client (ours among them) depend on list-then-watch from a
resourceVersion, on 410 Gone when that version has left the watch window, on 409 Conflict for
a stale update, on the status subresource, and on creating Events through both Event APIs;
and they see objects as the server normalises them (canonical quantities, Secret data) and
are refused what it refuses (invalid built-ins, lists at versions it no longer has).
The emulator runs with a small watch history here so that 410 can be provoked with a few
hundred writes instead of the default window.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from emulator_process import Emulator, running_emulator
from kubernetes import client, config, watch
from kubernetes.client.exceptions import ApiException

REPO = Path(__file__).resolve().parents[3]
HISTORY = 100
NS = "default"


@pytest.fixture(scope="module")
def small_history_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    directory = tmp_path_factory.mktemp("emulator")
    with running_emulator(
        directory, extra_args=["--history-size", str(HISTORY), "--bookmark-interval", "0.5"]
    ) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def api(small_history_emulator: Emulator) -> Iterator[client.ApiClient]:
    api_client = config.new_client_from_config(config_file=str(small_history_emulator.kubeconfig))
    yield api_client
    api_client.close()


@pytest.fixture
def core(api: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(api)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def configmap(name: str, labels: dict[str, str] | None = None, **data: str) -> client.V1ConfigMap:
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


def collect(
    w: watch.Watch, func: Any, count: int, *, timeout: int = 10, **kwargs: Any
) -> list[tuple[str, Any]]:
    """The first `count` events of a watch (type, object); fewer if the server ends it."""
    events: list[tuple[str, Any]] = []
    for event in w.stream(func, timeout_seconds=timeout, **kwargs):
        events.append((event["type"], event["object"]))
        if len(events) == count:
            w.stop()
    return events


def status_body(exc: ApiException) -> dict[str, Any]:
    body = yaml.safe_load(exc.body)
    assert body["kind"] == "Status", body
    return dict(body)


def test_watch_from_a_list_resource_version_sees_exactly_the_later_changes(
    core: client.CoreV1Api,
) -> None:
    labels = {"suite": unique("listwatch")}
    selector = f"suite={labels['suite']}"
    core.create_namespaced_config_map(NS, configmap("a-" + labels["suite"], labels, v="1"))
    core.create_namespaced_config_map(NS, configmap("b-" + labels["suite"], labels, v="1"))
    listed = core.list_namespaced_config_map(NS, label_selector=selector)
    assert len(listed.items) == 2
    list_rv = listed.metadata.resource_version

    core.create_namespaced_config_map(NS, configmap("c-" + labels["suite"], labels, v="1"))
    core.patch_namespaced_config_map("a-" + labels["suite"], NS, {"data": {"v": "2"}})
    core.delete_namespaced_config_map("b-" + labels["suite"], NS)

    events = collect(
        watch.Watch(),
        core.list_namespaced_config_map,
        3,
        namespace=NS,
        label_selector=selector,
        resource_version=list_rv,
    )
    assert [(kind, obj.metadata.name.split("-")[0]) for kind, obj in events] == [
        ("ADDED", "c"),
        ("MODIFIED", "a"),
        ("DELETED", "b"),
    ]
    versions = [int(obj.metadata.resource_version) for _, obj in events]
    assert versions == sorted(versions)
    assert versions[0] > int(list_rv)
    assert events[1][1].data == {"v": "2"}


def test_watch_resumes_from_the_last_seen_resource_version(core: client.CoreV1Api) -> None:
    labels = {"suite": unique("resume")}
    selector = f"suite={labels['suite']}"
    rv = core.list_namespaced_config_map(NS, label_selector=selector).metadata.resource_version
    core.create_namespaced_config_map(NS, configmap("first-" + labels["suite"], labels))
    [(kind, first)] = collect(
        watch.Watch(),
        core.list_namespaced_config_map,
        1,
        namespace=NS,
        label_selector=selector,
        resource_version=rv,
    )
    assert kind == "ADDED"

    core.create_namespaced_config_map(NS, configmap("second-" + labels["suite"], labels))
    events = collect(
        watch.Watch(),
        core.list_namespaced_config_map,
        1,
        namespace=NS,
        label_selector=selector,
        resource_version=first.metadata.resource_version,
    )
    assert [(k, o.metadata.name) for k, o in events] == [("ADDED", "second-" + labels["suite"])]


def test_watch_from_resource_version_zero_starts_with_the_current_objects(
    core: client.CoreV1Api,
) -> None:
    labels = {"suite": unique("rvzero")}
    names = sorted(f"{i}-{labels['suite']}" for i in range(3))
    for name in names:
        core.create_namespaced_config_map(NS, configmap(name, labels))

    events = collect(
        watch.Watch(),
        core.list_namespaced_config_map,
        3,
        namespace=NS,
        label_selector=f"suite={labels['suite']}",
        resource_version="0",
    )
    assert sorted((k, o.metadata.name) for k, o in events) == [("ADDED", n) for n in names]


def test_bookmarks_carry_the_resource_version_a_quiet_watch_may_resume_from(
    core: client.CoreV1Api,
) -> None:
    selector = f"suite={unique('quiet')}"
    list_rv = core.list_namespaced_config_map(NS, label_selector=selector).metadata.resource_version
    other = core.create_namespaced_config_map(NS, configmap(unique("elsewhere")))  # not selected
    w = watch.Watch()
    stream = w.stream(
        core.list_namespaced_config_map,
        NS,
        label_selector=selector,
        resource_version=list_rv,
        allow_watch_bookmarks=True,
        timeout_seconds=10,
    )
    kinds = []
    for event in stream:
        kinds.append(event["type"])
        bookmark_rv = int(event["raw_object"]["metadata"]["resourceVersion"])
        w.stop()
    assert kinds == ["BOOKMARK"]
    assert bookmark_rv >= int(other.metadata.resource_version)
    assert w.resource_version == str(bookmark_rv)  # what the client resumes from


def test_watch_from_a_version_older_than_the_window_fails_with_410_gone(
    core: client.CoreV1Api,
) -> None:
    labels = {"suite": unique("gone")}
    selector = f"suite={labels['suite']}"
    old_rv = core.list_namespaced_config_map(NS, label_selector=selector).metadata.resource_version
    name = "churn-" + labels["suite"]
    core.create_namespaced_config_map(NS, configmap(name, labels, n="0"))
    for n in range(HISTORY + 20):
        core.patch_namespaced_config_map(name, NS, {"data": {"n": str(n)}})

    with pytest.raises(ApiException) as raised:
        collect(
            watch.Watch(),
            core.list_namespaced_config_map,
            1,
            namespace=NS,
            label_selector=selector,
            resource_version=old_rv,
        )
    assert raised.value.status == 410
    assert raised.value.reason.startswith(f"Expired: too old resource version: {old_rv} (")

    # The recovery every informer performs: list again, watch from the new version.
    relisted = core.list_namespaced_config_map(NS, label_selector=selector)
    assert relisted.items[0].data == {"n": str(HISTORY + 19)}
    core.delete_namespaced_config_map(name, NS)
    events = collect(
        watch.Watch(),
        core.list_namespaced_config_map,
        1,
        namespace=NS,
        label_selector=selector,
        resource_version=relisted.metadata.resource_version,
    )
    assert [k for k, _ in events] == ["DELETED"]


def test_update_with_a_stale_resource_version_is_rejected_with_409_conflict(
    core: client.CoreV1Api,
) -> None:
    name = unique("stale")
    core.create_namespaced_config_map(NS, configmap(name, v="1"))
    read = core.read_namespaced_config_map(name, NS)
    read.data = {"v": "2"}
    updated = core.replace_namespaced_config_map(name, NS, read)
    assert int(updated.metadata.resource_version) > int(read.metadata.resource_version)

    read.data = {"v": "3"}  # still carries the old resourceVersion
    with pytest.raises(ApiException) as raised:
        core.replace_namespaced_config_map(name, NS, read)
    assert raised.value.status == 409
    body = status_body(raised.value)
    assert body["reason"] == "Conflict"
    assert body["code"] == 409
    assert body["message"] == (
        f'Operation cannot be fulfilled on configmaps "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert body["details"] == {"name": name, "kind": "configmaps"}
    assert core.read_namespaced_config_map(name, NS).data == {"v": "2"}


def test_creating_an_existing_name_is_rejected_with_409_already_exists(
    core: client.CoreV1Api,
) -> None:
    name = unique("twice")
    core.create_namespaced_config_map(NS, configmap(name))
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map(NS, configmap(name))
    assert raised.value.status == 409
    body = status_body(raised.value)
    assert (body["reason"], body["message"]) == (
        "AlreadyExists",
        f'configmaps "{name}" already exists',
    )


def deployment_body(name: str) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]},
            },
        },
    }


def test_status_subresource_patch_changes_only_status(api: client.ApiClient) -> None:
    apps = client.AppsV1Api(api)
    name = unique("status")
    created = apps.create_namespaced_deployment(NS, deployment_body(name))

    patched = apps.patch_namespaced_deployment_status(
        name, NS, {"spec": {"replicas": 9}, "status": {"replicas": 2, "readyReplicas": 2}}
    )
    assert (patched.status.replicas, patched.status.ready_replicas) == (2, 2)
    assert patched.spec.replicas == 2  # spec is ignored on the status subresource
    assert patched.metadata.generation == created.metadata.generation

    main = apps.patch_namespaced_deployment(name, NS, {"status": {"replicas": 7}})
    assert main.status.replicas == 2  # status is ignored on the main resource
    read = apps.read_namespaced_deployment_status(name, NS)
    assert read.status.ready_replicas == 2


def test_status_subresource_of_a_custom_resource(api: client.ApiClient) -> None:
    crd = yaml.safe_load(
        (REPO / "crds/generated/flinkdeployments.flink.apache.org.yaml").read_text()
    )
    extensions = client.ApiextensionsV1Api(api)
    try:
        extensions.create_custom_resource_definition(crd)
    except ApiException as exc:
        if exc.status != 409:
            raise
    custom = client.CustomObjectsApi(api)
    name = unique("fd")
    body = {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": name},
        "spec": {"image": "flink:2.1", "flinkVersion": "v2_1"},
    }
    group, version, plural = "flink.apache.org", "v1beta1", "flinkdeployments"
    for attempt in range(50):  # the CRD's endpoint appears once it is established
        try:
            created = custom.create_namespaced_custom_object(group, version, NS, plural, body)
            break
        except ApiException as exc:
            if exc.status != 404 or attempt == 49:
                raise
            time.sleep(0.1)

    patched = custom.patch_namespaced_custom_object_status(
        group,
        version,
        NS,
        plural,
        name,
        {"spec": {"image": "flink:9"}, "status": {"lifecycleState": "STABLE"}},
    )
    assert patched["status"]["lifecycleState"] == "STABLE"
    assert patched["spec"]["image"] == "flink:2.1"
    assert patched["metadata"]["generation"] == created["metadata"]["generation"]


def test_core_v1_event_is_created_and_listed_by_involved_object(core: client.CoreV1Api) -> None:
    target = unique("target")
    core.create_namespaced_config_map(NS, configmap(target))
    uid = core.read_namespaced_config_map(target, NS).metadata.uid
    now = datetime.now(UTC).replace(microsecond=0)
    event = client.CoreV1Event(
        metadata=client.V1ObjectMeta(name=f"{target}.core"),
        involved_object=client.V1ObjectReference(
            api_version="v1", kind="ConfigMap", name=target, namespace=NS, uid=uid
        ),
        reason="Tested",
        message="created through core/v1",
        type="Normal",
        source=client.V1EventSource(component="acceptance"),
        first_timestamp=now,
        last_timestamp=now,
        count=1,
    )
    created = core.create_namespaced_event(NS, event)
    assert created.metadata.uid
    assert created.metadata.resource_version

    listed = core.list_namespaced_event(
        NS, field_selector=f"involvedObject.name={target},involvedObject.kind=ConfigMap"
    )
    assert [(e.reason, e.message) for e in listed.items] == [("Tested", "created through core/v1")]
    assert listed.items[0].last_timestamp == now


def test_events_k8s_io_v1_event_is_created_and_seen_through_core_v1(
    api: client.ApiClient, core: client.CoreV1Api
) -> None:
    events = client.EventsV1Api(api)
    target = unique("regarding")
    core.create_namespaced_config_map(NS, configmap(target))
    when = datetime.now(UTC)
    event = client.EventsV1Event(
        metadata=client.V1ObjectMeta(name=f"{target}.new"),
        event_time=when,
        reporting_controller="example.com/acceptance",
        reporting_instance="acceptance-1",
        action="Testing",
        reason="Tested",
        regarding=client.V1ObjectReference(
            api_version="v1", kind="ConfigMap", name=target, namespace=NS
        ),
        note="created through events.k8s.io/v1",
        type="Warning",
    )
    created = events.create_namespaced_event(NS, event)
    assert created.note == "created through events.k8s.io/v1"
    assert created.event_time is not None

    again = events.read_namespaced_event(f"{target}.new", NS)
    assert (again.reason, again.regarding.name) == ("Tested", target)

    # One storage behind both APIs: the core view maps note/regarding/reportingController.
    legacy = core.read_namespaced_event(f"{target}.new", NS)
    assert (legacy.message, legacy.involved_object.name) == (
        "created through events.k8s.io/v1",
        target,
    )
    assert legacy.reporting_component == "example.com/acceptance"
    assert legacy.type == "Warning"


def test_events_k8s_io_v1_rejects_an_event_without_its_required_fields(
    api: client.ApiClient,
) -> None:
    events = client.EventsV1Api(api)
    with pytest.raises(ApiException) as raised:
        events.create_namespaced_event(
            NS,
            client.EventsV1Event(
                metadata=client.V1ObjectMeta(name=unique("bad")),
                event_time=datetime.now(UTC),
                reason="Tested",
                type="Normal",
            ),
        )
    assert raised.value.status == 422
    body = status_body(raised.value)
    assert body["reason"] == "Invalid"
    fields = {cause["field"] for cause in body["details"]["causes"]}
    assert {"reportingController", "reportingInstance", "action"} <= fields


# --- how kube-apiserver normalises and validates what it stores ------------------------------


def test_resource_quantities_are_stored_in_canonical_form(core: client.CoreV1Api) -> None:
    resources = {"requests": {"cpu": "0.5", "memory": "1024Mi"}, "limits": {"cpu": "1.0"}}
    pod = {
        "metadata": {"name": unique("quantity")},
        "spec": {"containers": [{"name": "main", "image": "busybox", "resources": resources}]},
    }
    created = core.create_namespaced_pod(NS, pod).spec.containers[0].resources
    assert created.requests == {"cpu": "500m", "memory": "1Gi"}
    assert created.limits == {"cpu": "1"}


def test_secret_string_data_is_merged_into_data(core: client.CoreV1Api) -> None:
    body = {"metadata": {"name": unique("secret")}, "stringData": {"password": "hunter2"}}
    created = core.create_namespaced_secret(NS, body)
    assert created.data == {"password": "aHVudGVyMg=="}
    assert created.string_data is None
    assert created.type == "Opaque"


def test_a_pod_without_containers_is_rejected_with_422(core: client.CoreV1Api) -> None:
    name = unique("empty")
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_pod(NS, {"metadata": {"name": name}, "spec": {"containers": []}})
    assert raised.value.status == 422
    body = status_body(raised.value)
    assert body["message"] == f'Pod "{name}" is invalid: spec.containers: Required value'


def test_a_deployment_whose_selector_misses_its_template_is_rejected(
    api: client.ApiClient,
) -> None:
    body = deployment_body(unique("mismatch"))
    body["spec"]["selector"] = {"matchLabels": {"app": "elsewhere"}}
    with pytest.raises(ApiException) as raised:
        client.AppsV1Api(api).create_namespaced_deployment(NS, body)
    assert raised.value.status == 422
    causes = status_body(raised.value)["details"]["causes"]
    assert {"field": "spec.template.metadata.labels", "reason": "FieldValueInvalid"} in [
        {"field": c["field"], "reason": c["reason"]} for c in causes
    ]


def test_exact_list_at_a_version_older_than_the_window_fails_with_410(
    core: client.CoreV1Api,
) -> None:
    labels = {"suite": unique("exact")}
    old_rv = core.list_namespaced_config_map(NS).metadata.resource_version
    name = "churn-" + labels["suite"]
    core.create_namespaced_config_map(NS, configmap(name, labels, n="0"))
    for n in range(HISTORY + 20):
        core.patch_namespaced_config_map(name, NS, {"data": {"n": str(n)}})
    with pytest.raises(ApiException) as raised:
        core.list_namespaced_config_map(NS, resource_version=old_rv, resource_version_match="Exact")
    assert raised.value.status == 410
    body = status_body(raised.value)
    assert (body["reason"], body["message"]) == (
        "Expired",
        "The resourceVersion for the provided list is too old.",
    )
