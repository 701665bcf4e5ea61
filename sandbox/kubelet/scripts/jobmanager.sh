#!/bin/bash
# jobmanager.sh start-foreground [HOST [WEBUI_PORT]]: a session cluster's JobManager.
[ "${1:-}" = start-foreground ] || { echo "Usage: jobmanager.sh start-foreground [host] [webui-port]" >&2; exit 1; }
args=()
[ -n "${2:-}" ] && args+=(--host "$2")
[ -n "${3:-}" ] && args+=(--webui-port "$3")
exec "$(dirname "$0")/flink-console.sh" standalonesession "${args[@]}"
