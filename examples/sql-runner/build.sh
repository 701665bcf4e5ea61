#!/usr/bin/env bash
# Compiles SqlRunner.java against the Flink jars and packages build/sql-runner.jar.
#
#   build.sh            build the jar
#   build.sh --apply    build it, then create/update ConfigMap sql-runner-jar with kubectl
#
# Flink jars: $FLINK_LIB if set, else $FLINK_HOME/lib, else the lib/ directory of the
# `apache-flink-libraries` (or `apache-flink`) PyPI package installed for $PYTHON (python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"

if [[ -z "${FLINK_LIB:-}" ]]; then
  if [[ -n "${FLINK_HOME:-}" ]]; then
    FLINK_LIB="$FLINK_HOME/lib"
  else
    purelib=$("${PYTHON:-python3}" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    FLINK_LIB="$purelib/pyflink/lib"
  fi
fi
if ! ls "$FLINK_LIB"/flink-table-api-java-uber-*.jar >/dev/null 2>&1; then
  echo "No Flink jars in $FLINK_LIB: set FLINK_LIB or FLINK_HOME, or" >&2
  echo "  pip install --no-deps apache-flink-libraries==2.1.1" >&2
  exit 1
fi

rm -rf "$build/classes"
mkdir -p "$build/classes"
# --release 11: runs on every Java version Flink 2.x images ship (11, 17, 21).
javac --release 11 -d "$build/classes" -cp "$FLINK_LIB/*" "$here/SqlRunner.java"
jar --create --file "$build/sql-runner.jar" -C "$build/classes" .
echo "built $build/sql-runner.jar"

if [[ "${1:-}" == "--apply" ]]; then
  kubectl create configmap sql-runner-jar --from-file=sql-runner.jar="$build/sql-runner.jar" \
    --dry-run=client -o yaml | kubectl apply -f -
fi
