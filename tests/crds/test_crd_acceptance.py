"""The generated CRDs pass the apiextensions checks the API server runs, and so do manifests.

The sandbox's schema package ports kube-apiserver's CustomResourceDefinition validation
(structural schema rules, names, subresources, printer columns) and its custom-resource
validation and pruning. Tests may use both sides of the wire; package code may not.
"""

import copy
from pathlib import Path

import pytest
import yaml

from crds import generate
from sandbox.apiserver.schema.crd import check_crd
from sandbox.apiserver.schema.prune import prune
from sandbox.apiserver.schema.structural import check_structural
from sandbox.apiserver.schema.validate import validate as apiserver_validate

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SCHEMAS = {
    k.kind: generate.crd(k)["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    for k in generate.KINDS
}


@pytest.mark.parametrize("kind", generate.KINDS, ids=lambda k: k.kind)
def test_generated_crd_is_accepted_by_the_apiextensions_checks(kind):
    assert check_crd(generate.load(kind.kind)) == []


@pytest.mark.parametrize("kind", generate.KINDS, ids=lambda k: k.kind)
def test_generated_schema_is_structural(kind):
    assert check_structural(SCHEMAS[kind.kind], status_enabled=True) == []


def test_the_checker_rejects_a_non_structural_schema():
    broken = copy.deepcopy(SCHEMAS["FlinkDeployment"])
    del broken["properties"]["spec"]["properties"]["job"]["type"]
    assert check_structural(broken, status_enabled=True)


def manifests():
    for directory in (ROOT / "examples", HERE / "manifests" / "upstream"):
        for path in sorted(directory.rglob("*.yaml")):
            for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
                if isinstance(doc, dict) and doc.get("kind") in SCHEMAS:
                    yield pytest.param(doc, id=f"{path.relative_to(ROOT)}#{index}")


@pytest.mark.parametrize("manifest", list(manifests()))
def test_manifest_is_valid_against_the_generated_schema_and_nothing_is_pruned(manifest):
    schema = SCHEMAS[manifest["kind"]]
    obj = copy.deepcopy(manifest)
    assert prune(obj, schema) == []
    assert [str(e) for e in apiserver_validate(obj, schema)] == []


def test_schema_rejects_what_the_api_server_would():
    manifest = {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": "x"},
        "spec": {"job": {"upgradeMode": "rolling", "parallelism": "2"}},
    }
    errors = {e.field for e in apiserver_validate(manifest, SCHEMAS["FlinkDeployment"])}
    assert errors == {"spec.job.upgradeMode", "spec.job.parallelism"}
