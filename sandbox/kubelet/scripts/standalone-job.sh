#!/bin/bash
# standalone-job.sh start-foreground [ARGS...]: an application cluster's JobManager.
[ "${1:-}" = start-foreground ] || { echo "Usage: standalone-job.sh start-foreground [args]" >&2; exit 1; }
exec "$(dirname "$0")/flink-console.sh" standalonejob "${@:2}"
