"""Create, read, update and delete behave as kube-apiserver's generic registry does."""

from __future__ import annotations

import copy

import pytest
from apiserver_harness import TABLE_ACCEPT, Api, api_for, configmap, deployment

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


async def test_create_fills_system_fields_and_answers_201(api: Api):
    reply = await api.post(CMS, configmap("a", x="1"))
    assert reply.status == 201
    meta = reply.body["metadata"]
    assert meta["namespace"] == "default"
    assert len(meta["uid"]) == 36
    assert meta["creationTimestamp"].endswith("Z")
    assert int(meta["resourceVersion"]) > 0
    assert "generation" not in meta
    assert reply.body["data"] == {"x": "1"}


async def test_generate_name_appends_five_characters(api: Api):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "job-"}}
    reply = await api.post(CMS, body)
    assert reply.status == 201
    name = reply.body["metadata"]["name"]
    assert name.startswith("job-")
    assert len(name) == 9


async def test_creating_an_existing_object_is_409_already_exists(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.post(CMS, configmap("a"))
    assert reply.status == 409
    assert reply.body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'configmaps "a" already exists',
        "reason": "AlreadyExists",
        "details": {"name": "a", "kind": "configmaps"},
        "code": 409,
    }


async def test_creating_in_a_missing_namespace_is_404(api: Api):
    reply = await api.post("/api/v1/namespaces/nowhere/configmaps", configmap("a"))
    assert reply.status == 404
    assert reply.body["message"] == 'namespaces "nowhere" not found'
    assert reply.body["details"] == {"name": "nowhere", "kind": "namespaces"}


async def test_get_of_a_missing_object_names_group_and_resource(api: Api):
    reply = await api.get(f"{DEPLOYS}/nothing")
    assert reply.status == 404
    assert reply.body["message"] == 'deployments.apps "nothing" not found'
    assert reply.body["details"] == {"name": "nothing", "group": "apps", "kind": "deployments"}


async def test_unknown_paths_are_the_plain_not_found_status(api: Api):
    reply = await api.get("/apis/nothing.example.com/v1/things")
    assert reply.status == 404
    assert reply.body["message"] == "the server could not find the requested resource"
    assert reply.body["details"] == {}


async def test_update_with_a_stale_resource_version_is_409_conflict(api: Api):
    created = (await api.post(CMS, configmap("a", x="1"))).body
    first = copy.deepcopy(created)
    first["data"] = {"x": "2"}
    assert (await api.put(f"{CMS}/a", first)).status == 200
    stale = copy.deepcopy(created)
    stale["data"] = {"x": "3"}
    reply = await api.put(f"{CMS}/a", stale)
    assert reply.status == 409
    assert reply.body["reason"] == "Conflict"
    assert reply.body["message"] == (
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


async def test_update_without_resource_version_is_unconditional_for_built_ins(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    reply = await api.put(f"{CMS}/a", configmap("a", x="2"))
    assert reply.status == 200
    assert reply.body["data"] == {"x": "2"}


async def test_an_update_that_changes_nothing_writes_nothing(api: Api):
    created = (await api.post(CMS, configmap("a", x="1"))).body
    reply = await api.put(f"{CMS}/a", created)
    assert reply.status == 200
    assert reply.body["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


async def test_update_keeps_uid_and_creation_timestamp(api: Api):
    created = (await api.post(CMS, configmap("a"))).body
    changed = copy.deepcopy(created)
    changed["metadata"]["creationTimestamp"] = "2000-01-01T00:00:00Z"
    changed["data"] = {"y": "1"}
    reply = await api.put(f"{CMS}/a", changed)
    assert reply.body["metadata"]["uid"] == created["metadata"]["uid"]
    assert reply.body["metadata"]["creationTimestamp"] == created["metadata"]["creationTimestamp"]


async def test_name_in_body_must_match_the_url(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.put(f"{CMS}/a", configmap("b"))
    assert reply.status == 400
    assert (
        reply.body["message"] == "the name of the object (b) does not match the name on the URL (a)"
    )


async def test_namespace_in_body_must_match_the_url(api: Api):
    body = configmap("a")
    body["metadata"]["namespace"] = "kube-system"
    reply = await api.post(CMS, body)
    assert reply.status == 400
    assert "does not match the namespace sent on the request" in reply.body["message"]


async def test_invalid_names_are_422_with_field_causes(api: Api):
    reply = await api.post(CMS, configmap("Bad_Name"))
    assert reply.status == 422
    assert reply.body["reason"] == "Invalid"
    assert reply.body["message"].startswith(
        'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": '
        "a lowercase RFC 1123 subdomain"
    )
    assert reply.body["details"]["causes"][0]["field"] == "metadata.name"
    assert reply.body["details"]["causes"][0]["reason"] == "FieldValueInvalid"


@pytest.mark.parametrize(
    ("validation", "status", "warnings"),
    [
        pytest.param(None, 201, ['299 - "unknown field \\"spec\\""'], id="default-warns"),
        pytest.param("Warn", 201, ['299 - "unknown field \\"spec\\""'], id="warn"),
        pytest.param("Ignore", 201, [], id="ignore"),
        pytest.param("Strict", 400, [], id="strict"),
    ],
)
async def test_unknown_fields_follow_field_validation(api: Api, validation, status, warnings):
    body = {**configmap("a"), "spec": {"x": 1}}
    params = {"fieldValidation": validation} if validation else None
    reply = await api.post(CMS, body, params=params)
    assert reply.status == status
    assert reply.warnings == warnings
    if status == 400:
        assert reply.body["message"] == (
            'ConfigMap in version "v1" cannot be handled as a ConfigMap: '
            'strict decoding error: unknown field "spec"'
        )
    else:
        assert "spec" not in reply.body


async def test_deployment_generation_moves_only_with_the_spec(api: Api):
    created = (await api.post(DEPLOYS, deployment("d"))).body
    assert created["metadata"]["generation"] == 1
    labelled = copy.deepcopy(created)
    labelled["metadata"]["labels"] = {"new": "label"}
    after_labels = (await api.put(f"{DEPLOYS}/d", labelled)).body
    assert after_labels["metadata"]["generation"] == 1
    scaled = copy.deepcopy(after_labels)
    scaled["spec"]["replicas"] = 3
    assert (await api.put(f"{DEPLOYS}/d", scaled)).body["metadata"]["generation"] == 2


async def test_built_in_defaults_are_applied(api: Api):
    created = (await api.post(DEPLOYS, deployment("d"))).body
    spec = created["spec"]
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    container = spec["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"


async def test_services_get_a_cluster_ip(api: Api):
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 8081}]},
    }
    reply = await api.post("/api/v1/namespaces/default/services", body)
    spec = reply.body["spec"]
    assert spec["clusterIP"].startswith("10.96.")
    assert spec["clusterIP"] != "10.96.0.1"
    assert spec["ports"] == [{"port": 8081, "protocol": "TCP", "targetPort": 8081}]
    assert spec["type"] == "ClusterIP"


async def test_delete_returns_a_success_status_for_most_kinds(api: Api):
    created = (await api.post(CMS, configmap("a"))).body
    reply = await api.delete(f"{CMS}/a")
    assert reply.status == 200
    assert reply.body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {"name": "a", "kind": "configmaps", "uid": created["metadata"]["uid"]},
    }
    assert (await api.get(f"{CMS}/a")).status == 404


async def test_delete_of_a_pod_returns_the_pod(api: Api):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    await api.post("/api/v1/namespaces/default/pods", pod)
    reply = await api.delete("/api/v1/namespaces/default/pods/p")
    assert reply.status == 200
    assert reply.body["kind"] == "Pod"


async def test_finalizers_hold_a_deleted_object_until_removed(api: Api):
    body = configmap("a")
    body["metadata"]["finalizers"] = ["example.com/hold"]
    await api.post(CMS, body)
    marked = await api.delete(f"{CMS}/a")
    assert marked.status == 200
    assert marked.body["metadata"]["deletionTimestamp"]
    assert marked.body["metadata"]["deletionGracePeriodSeconds"] == 0
    still = (await api.get(f"{CMS}/a")).body
    added = copy.deepcopy(still)
    added["metadata"]["finalizers"].append("example.com/other")
    refused = await api.put(f"{CMS}/a", added)
    assert refused.status == 422
    assert (
        "no new finalizers can be added if the object is being deleted" in refused.body["message"]
    )
    still["metadata"]["finalizers"] = []
    released = await api.put(f"{CMS}/a", still)
    assert released.status == 200
    assert (await api.get(f"{CMS}/a")).status == 404


async def test_recreating_an_object_being_deleted_says_so(api: Api):
    body = configmap("a")
    body["metadata"]["finalizers"] = ["example.com/hold"]
    await api.post(CMS, body)
    await api.delete(f"{CMS}/a")
    reply = await api.post(CMS, configmap("a"))
    assert reply.status == 409
    assert reply.body["message"] == 'object is being deleted: configmaps "a" already exists'


async def test_delete_preconditions_are_checked(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.delete(
        f"{CMS}/a", {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "other"}}
    )
    assert reply.status == 409
    assert "the UID in the precondition (other) does not match" in reply.body["message"]


async def test_invalid_propagation_policy_is_422(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.delete(f"{CMS}/a", {"kind": "DeleteOptions", "propagationPolicy": "Later"})
    assert reply.status == 422
    assert reply.body["message"].startswith('DeleteOptions.meta.k8s.io "" is invalid')


async def test_dry_run_create_stores_nothing(api: Api):
    reply = await api.post(CMS, configmap("a"), params={"dryRun": "All"})
    assert reply.status == 201
    assert (await api.get(f"{CMS}/a")).status == 404


async def test_label_and_field_selectors_filter_lists(api: Api):
    for name, tier in [("a", "web"), ("b", "db"), ("c", "web")]:
        body = configmap(name)
        body["metadata"]["labels"] = {"tier": tier}
        await api.post(CMS, body)
    web = await api.get(CMS, params={"labelSelector": "tier=web"})
    assert [i["metadata"]["name"] for i in web.body["items"]] == ["a", "c"]
    one = await api.get(
        CMS, params={"labelSelector": "tier in (web,db)", "fieldSelector": "metadata.name!=a"}
    )
    assert [i["metadata"]["name"] for i in one.body["items"]] == ["b", "c"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"fieldSelector": "data.x=1"}, "field label not supported: data.x", id="field"
        ),
        pytest.param({"labelSelector": "a in b"}, None, id="label"),
    ],
)
async def test_bad_selectors_are_400(api: Api, params, message):
    reply = await api.get(CMS, params=params)
    assert reply.status == 400
    assert reply.body["reason"] == "BadRequest"
    if message:
        assert reply.body["message"] == message


async def test_lists_page_with_limit_and_continue(api: Api):
    for name in "abcde":
        await api.post(CMS, configmap(name))
    first = await api.get(CMS, params={"limit": "2"})
    assert [i["metadata"]["name"] for i in first.body["items"]] == ["a", "b"]
    assert first.body["metadata"]["remainingItemCount"] == 3
    token = first.body["metadata"]["continue"]
    second = await api.get(CMS, params={"limit": "2", "continue": token})
    assert [i["metadata"]["name"] for i in second.body["items"]] == ["c", "d"]
    assert second.body["metadata"]["resourceVersion"] == first.body["metadata"]["resourceVersion"]
    last = await api.get(
        CMS, params={"limit": "2", "continue": second.body["metadata"]["continue"]}
    )
    assert [i["metadata"]["name"] for i in last.body["items"]] == ["e"]
    assert "continue" not in last.body["metadata"]


async def test_built_in_list_items_have_no_type_meta(api: Api):
    await api.post(CMS, configmap("a"))
    listed = await api.get(CMS)
    assert listed.body["kind"] == "ConfigMapList"
    assert listed.body["apiVersion"] == "v1"
    assert "kind" not in listed.body["items"][0]


async def test_table_output_has_columns_and_partial_object_metadata(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    reply = await api.get(CMS, headers={"Accept": TABLE_ACCEPT})
    assert reply.body["kind"] == "Table"
    row = reply.body["rows"][0]
    assert row["cells"][:2] == ["a", 1]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert row["object"]["metadata"]["name"] == "a"


async def test_partial_object_metadata_is_served_on_request(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    accept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
    reply = await api.get(CMS, headers={"Accept": accept})
    assert reply.body["kind"] == "PartialObjectMetadataList"
    assert reply.body["items"][0]["metadata"]["name"] == "a"
    assert "data" not in reply.body["items"][0]


async def test_protobuf_only_accept_is_406(api: Api):
    reply = await api.get(CMS, headers={"Accept": "application/vnd.kubernetes.protobuf"})
    assert reply.status == 406
    assert reply.body["reason"] == "NotAcceptable"


async def test_yaml_is_served_on_request(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    reply = await api.get(f"{CMS}/a", headers={"Accept": "application/yaml"})
    assert reply.headers["Content-Type"] == "application/yaml"
    assert "kind: ConfigMap" in reply.body


async def test_delete_collection_removes_matching_objects(api: Api):
    for name, tier in [("a", "web"), ("b", "db")]:
        body = configmap(name)
        body["metadata"]["labels"] = {"tier": tier}
        await api.post(CMS, body)
    reply = await api.delete(CMS, params={"labelSelector": "tier=web"})
    assert reply.status == 200
    assert reply.body["kind"] == "ConfigMapList"
    names = [i["metadata"]["name"] for i in (await api.get(CMS)).body["items"]]
    assert names == ["b"]


async def test_unsupported_methods_are_405(api: Api):
    reply = await api.request("PUT", CMS, configmap("a"))
    assert reply.status == 405
    assert reply.body["reason"] == "MethodNotAllowed"


async def test_core_and_events_k8s_io_events_share_one_store(api: Api):
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "e1"},
        "eventTime": "2025-01-01T00:00:00.000000Z",
        "reason": "Started",
        "note": "it started",
        "type": "Normal",
        "action": "Start",
        "reportingController": "tests",
        "reportingInstance": "tests-1",
        "regarding": {"kind": "Pod", "name": "p", "namespace": "default"},
    }
    created = await api.post("/apis/events.k8s.io/v1/namespaces/default/events", event)
    assert created.status == 201, created.body
    core = await api.get("/api/v1/namespaces/default/events/e1")
    assert core.body["message"] == "it started"
    assert core.body["involvedObject"]["name"] == "p"
    assert core.body["reportingComponent"] == "tests"
    selected = await api.get(
        "/api/v1/namespaces/default/events", params={"fieldSelector": "involvedObject.name=p"}
    )
    assert [i["metadata"]["name"] for i in selected.body["items"]] == ["e1"]


async def test_initial_namespaces_service_accounts_and_kubernetes_service_exist(api: Api):
    await api.settle()
    names = [n["metadata"]["name"] for n in (await api.get("/api/v1/namespaces")).body["items"]]
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]
    for namespace in names:
        account = await api.get(f"/api/v1/namespaces/{namespace}/serviceaccounts/default")
        assert account.status == 200
    service = await api.get("/api/v1/namespaces/default/services/kubernetes")
    assert service.body["spec"]["clusterIP"] == "10.96.0.1"


async def test_exact_lists_read_an_older_revision_within_the_window(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    before = (await api.get(CMS)).body["metadata"]["resourceVersion"]
    await api.patch(f"{CMS}/a", {"data": {"x": "2"}}, content_type="application/merge-patch+json")
    await api.post(CMS, configmap("b"))
    params = {"resourceVersion": before, "resourceVersionMatch": "Exact"}
    old = await api.get(CMS, params=params)
    assert old.body["metadata"]["resourceVersion"] == before
    assert [(i["metadata"]["name"], i["data"]) for i in old.body["items"]] == [("a", {"x": "1"})]


async def test_exact_lists_older_than_the_window_are_410():
    async with api_for(history_size=2) as api:
        before = (await api.get(CMS)).body["metadata"]["resourceVersion"]
        for name in "abc":
            await api.post(CMS, configmap(name))
        params = {"resourceVersion": before, "resourceVersionMatch": "Exact"}
        reply = await api.get(CMS, params=params)
        assert reply.status == 410
        assert reply.body["reason"] == "Expired"
        assert reply.body["message"] == "The resourceVersion for the provided list is too old."


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        pytest.param(
            "/api/v1/namespaces/default/pods",
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": []},
            },
            "spec.containers",
            id="pod-without-containers",
        ),
        pytest.param(
            DEPLOYS,
            {
                **deployment("d"),
                "spec": {**deployment("d")["spec"], "selector": {"matchLabels": {"x": "y"}}},
            },
            "spec.template.metadata.labels",
            id="selector-misses-template",
        ),
    ],
)
async def test_invalid_built_in_objects_are_422(api: Api, path, body, field):
    reply = await api.post(path, body)
    assert reply.status == 422
    assert field in [c["field"] for c in reply.body["details"]["causes"]]


async def test_secret_string_data_is_merged_into_data(api: Api):
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": {"password": "hunter2"},
    }
    created = (await api.post("/api/v1/namespaces/default/secrets", body)).body
    assert created["data"] == {"password": "aHVudGVyMg=="}
    assert "stringData" not in created
    assert created["type"] == "Opaque"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            {**configmap("a"), "data": {"n": 1}},
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
            id="number-in-data",
        ),
        pytest.param(
            {**configmap("a"), "metadata": {"name": "a", "labels": {"on": True}}},
            "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels "
            "of type string",
            id="bool-label",
        ),
    ],
)
async def test_values_of_the_wrong_type_fail_to_decode(api: Api, body, message):
    reply = await api.post(CMS, body)
    assert reply.status == 400
    assert reply.body["message"] == (
        f'ConfigMap in version "v1" cannot be handled as a ConfigMap: {message}'
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("0.5", "500m"),
        ("1024Mi", "1Gi"),
        ("1.0", "1"),
        ("1536Mi", "1536Mi"),
        ("2000", "2k"),
        ("1e3", "1e3"),
        (0.25, "250m"),
    ],
)
async def test_resource_quantities_are_stored_in_canonical_form(api: Api, sent, stored):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "q"},
        "spec": {
            "containers": [{"name": "c", "image": "busybox", "resources": {"limits": {"x": sent}}}]
        },
    }
    created = (await api.post("/api/v1/namespaces/default/pods", pod)).body
    assert created["spec"]["containers"][0]["resources"]["limits"] == {"x": stored}


async def test_events_k8s_io_v1_requires_its_reporting_fields(api: Api):
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "e"},
        "eventTime": "2025-01-01T00:00:00.000000Z",
        "type": "Normal",
        "reason": "Tested",
    }
    reply = await api.post("/apis/events.k8s.io/v1/namespaces/default/events", event)
    assert reply.status == 422
    fields = {c["field"] for c in reply.body["details"]["causes"]}
    assert fields == {"reportingController", "reportingInstance", "action"}
