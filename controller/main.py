"""The `flinkop` command line.

One entry point for every process the project runs; each subcommand imports what it needs
only when invoked, so `flinkop validate` starts fast and needs no cluster or Temporal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flinkop",
        description="Apache Flink on Kubernetes, with every lifecycle step a durable "
        "Temporal workflow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crds = commands.add_parser("crds", help="the CustomResourceDefinitions")
    crds_commands = crds.add_subparsers(dest="crds_command", required=True, metavar="COMMAND")
    generate = crds_commands.add_parser("generate", help="write the CRD YAML files from the models")
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if the files differ from the models",
    )
    generate.add_argument("--dir", default=None, help="output directory (default: crds/generated)")

    validate = commands.add_parser(
        "validate", help="check FlinkDeployment and FlinkSessionJob manifests offline"
    )
    _add_files(validate)
    validate.add_argument(
        "--config",
        default=None,
        metavar="FILE",
        help="operator default Flink configuration (flink-conf.yaml or "
        "config.yaml), as in the operator's ConfigMap",
    )
    validate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one operator configuration key (repeatable)",
    )
    validate.add_argument(
        "--ignore-unknown-fields",
        action="store_true",
        help="do not report fields the CRD schema does not know",
    )

    inspect = commands.add_parser("inspect", help="summarise what manifests would deploy")
    _add_files(inspect)

    sandbox = commands.add_parser(
        "sandbox",
        help="the local playground: a Kubernetes emulator (see `flinkop sandbox -h`)",
        add_help=False,
    )
    sandbox.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _add_files(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-f",
        "--filename",
        action="append",
        required=True,
        metavar="FILE",
        help="a file, a directory, or - for standard input (repeatable)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `flinkop` command; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (FileNotFoundError, ValueError) as exc:
        sys.stderr.write(f"flinkop: {exc}\n")
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "crds":
        return _crds(args)
    if args.command == "sandbox":
        return _sandbox(args.args)
    from controller import offline

    if args.command == "validate":
        config = offline.operator_config(args.config, args.set)
        return offline.run_validate(
            args.filename,
            config=config,
            strict_fields=not args.ignore_unknown_fields,
            out=sys.stdout,
        )
    return offline.run_inspect(args.filename, out=sys.stdout)


def _sandbox(args: list[str]) -> NoReturn:
    """Run the sandbox as its own program: the operator meets it only over the wire."""
    import os

    os.execv(sys.executable, [sys.executable, "-m", "sandbox", *args])


def _crds(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crds import generate

    directory = Path(args.dir) if args.dir else generate.GENERATED_DIR
    if args.check:
        diffs = generate.stale(directory)
        for diff in diffs:
            sys.stdout.write(diff)
        if diffs:
            sys.stderr.write("flinkop: CRDs are stale; run `flinkop crds generate`\n")
            return 1
        sys.stdout.write(f"CRDs in {directory} are up to date\n")
        return 0
    for path in generate.generate(directory):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
