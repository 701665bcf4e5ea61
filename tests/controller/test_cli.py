"""`flinkop validate`, `inspect` and `crds generate` behave as a user expects from a CLI."""

import io
import subprocess
import sys
import textwrap

import pytest

from controller.main import main

VALID = textwrap.dedent("""\
    apiVersion: flink.apache.org/v1beta1
    kind: FlinkDeployment
    metadata:
      name: orders
      namespace: streaming
    spec:
      image: flink:2.1
      flinkVersion: v2_1
      serviceAccount: flink
      jobManager: {resource: {memory: 1024m, cpu: 0.5}}
      taskManager: {resource: {memory: 1024m, cpu: 0.5}}
      job: {jarURI: "local:///opt/flink/usrlib/orders.jar", parallelism: 2}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: unrelated}
    """)

INVALID = textwrap.dedent("""\
    apiVersion: flink.apache.org/v1beta1
    kind: FlinkDeployment
    metadata: {name: broken}
    spec:
      flinkVersion: v2_1
      flinkConfiguration:
        kubernetes.cluster-id: mine
      job: {parallelism: 0}
    """)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_valid_file_exits_zero_with_a_summary(tmp_path, capsys):
    (tmp_path / "ok.yaml").write_text(VALID)
    code, out, _ = run(capsys, "validate", "-f", str(tmp_path / "ok.yaml"))
    assert code == 0
    assert out == "1 Flink resource valid (1 other documents skipped)\n"


def test_invalid_file_prints_one_line_per_problem_and_exits_one(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text(INVALID)
    code, out, _ = run(capsys, "validate", "-f", str(tmp_path / "bad.yaml"))
    assert code == 1
    assert out.splitlines() == [
        "default/broken: spec.serviceAccount: required: the ServiceAccount the Flink pods run as, "
        "for example flink",
        "default/broken: spec.flinkConfiguration.kubernetes.cluster-id: forbidden, the operator "
        "sets it from metadata.name",
        "default/broken: spec.job.parallelism: must be at least 1 "
        "(or set spec.taskManager.replicas)",
    ]


def test_directory_is_read_recursively(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ok.yml").write_text(VALID)
    (tmp_path / "bad.yaml").write_text(INVALID)
    (tmp_path / "notes.txt").write_text("not a manifest")
    code, out, _ = run(capsys, "validate", "-f", str(tmp_path))
    assert code == 1
    assert all(line.startswith("default/broken: ") for line in out.splitlines())


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(VALID))
    code, out, _ = run(capsys, "validate", "-f", "-")
    assert code == 0
    assert "1 Flink resource valid" in out


def test_broken_yaml_is_an_error_not_a_traceback(tmp_path, capsys):
    (tmp_path / "broken.yaml").write_text("spec: [unclosed\n")
    code, out, _ = run(capsys, "validate", "-f", str(tmp_path / "broken.yaml"))
    assert code == 1
    assert "not valid YAML" in out


def test_missing_file_exits_two(capsys):
    code, _, err = run(capsys, "validate", "-f", "/nonexistent/x.yaml")
    assert code == 2
    assert "no such file" in err


def test_operator_config_overrides_are_applied(tmp_path, capsys):
    job = textwrap.dedent("""\
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkSessionJob
        metadata: {name: j}
        spec:
          deploymentName: s
          job: {jarURI: "http://artifacts.example.com/j.jar", parallelism: 1}
        """)
    (tmp_path / "job.yaml").write_text(job)
    code, _, _ = run(capsys, "validate", "-f", str(tmp_path / "job.yaml"))
    assert code == 1
    conf = tmp_path / "config.yaml"
    conf.write_text("kubernetes:\n  operator:\n    user.artifacts.allowed-schemes: https,http\n")
    code, _, _ = run(capsys, "validate", "-f", str(tmp_path / "job.yaml"), "--config", str(conf))
    assert code == 0
    code, _, _ = run(
        capsys,
        "validate",
        "-f",
        str(tmp_path / "job.yaml"),
        "--set",
        "kubernetes.operator.user.artifacts.allowed-schemes=http",
    )
    assert code == 0


def test_unknown_fields_can_be_ignored(tmp_path, capsys):
    (tmp_path / "typo.yaml").write_text(
        VALID.replace("parallelism: 2", "parallelism: 2, paralelism: 3")
    )
    assert run(capsys, "validate", "-f", str(tmp_path / "typo.yaml"))[0] == 1
    assert (
        run(capsys, "validate", "-f", str(tmp_path / "typo.yaml"), "--ignore-unknown-fields")[0]
        == 0
    )


def test_inspect_prints_a_table(tmp_path, capsys):
    (tmp_path / "ok.yaml").write_text(VALID)
    code, out, _ = run(capsys, "inspect", "-f", str(tmp_path))
    assert code == 0
    header, row = out.splitlines()
    assert header.split()[:3] == ["RESOURCE", "KIND", "CLUSTER"]
    assert row.split() == [
        "streaming/orders",
        "FlinkDeployment",
        "application/native",
        "v2_1",
        "stateless",
        "2",
        "1024m",
        "1024m",
    ]


def test_crds_check_passes_on_the_checked_in_files(capsys):
    code, out, _ = run(capsys, "crds", "generate", "--check")
    assert code == 0
    assert "up to date" in out


def test_crds_check_fails_on_stale_files(tmp_path, capsys):
    assert run(capsys, "crds", "generate", "--dir", str(tmp_path))[0] == 0
    target = next(tmp_path.glob("flinkdeployments*"))
    target.write_text(target.read_text() + "# edited\n")
    code, out, err = run(capsys, "crds", "generate", "--check", "--dir", str(tmp_path))
    assert code == 1
    assert "stale" in err
    assert "+# edited" not in out
    assert "-# edited" in out


@pytest.mark.slow
def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "controller.main", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "validate" in result.stdout
    assert "crds" in result.stdout


def test_session_job_is_checked_against_its_session_cluster_in_the_same_input(tmp_path, capsys):
    cluster = textwrap.dedent("""\
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkDeployment
        metadata: {name: shared, namespace: jobs}
        spec: {image: "flink:2.1", flinkVersion: v2_1, serviceAccount: flink}
        ---
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkSessionJob
        metadata: {name: j, namespace: jobs}
        spec:
          deploymentName: shared
          job: {jarURI: "https://artifacts.example.com/j.jar", parallelism: 1,
                upgradeMode: savepoint}
        """)
    (tmp_path / "both.yaml").write_text(cluster)
    code, out, _ = run(capsys, "validate", "-f", str(tmp_path / "both.yaml"))
    assert code == 1
    assert 'jobs/j: spec.job.upgradeMode: "savepoint" needs a checkpoint directory' in out
    (tmp_path / "both.yaml").write_text(
        cluster.replace(
            "serviceAccount: flink}",
            "serviceAccount: flink, flinkConfiguration: {state.checkpoints.dir: file:///c, "
            "state.savepoints.dir: file:///s}}",
        )
    )
    assert run(capsys, "validate", "-f", str(tmp_path / "both.yaml"))[0] == 0
