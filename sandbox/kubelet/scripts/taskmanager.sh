#!/bin/bash
# taskmanager.sh start-foreground [ARGS...]: a standalone TaskManager.
[ "${1:-}" = start-foreground ] || { echo "Usage: taskmanager.sh start-foreground [args]" >&2; exit 1; }
exec "$(dirname "$0")/flink-console.sh" taskexecutor "${@:2}"
