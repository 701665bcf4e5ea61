#!/bin/bash
# The image entrypoint, following the official Flink image's conventions: update the
# configuration from the environment (JOB_MANAGER_RPC_ADDRESS, TASK_MANAGER_NUMBER_OF_TASK_SLOTS,
# FLINK_PROPERTIES), enable ENABLE_BUILT_IN_PLUGINS, then run jobmanager | standalone-job |
# taskmanager, or any other command as given (e.g. bash -c "kubernetes-jobmanager.sh ...").
set -eu
FLINK_HOME=${FLINK_HOME:-/opt/flink}
conf_dir=${FLINK_CONF_DIR:-$FLINK_HOME/conf}
conf_file=$conf_dir/config.yaml

set_option() { # replace a top-level key (Flink writes flat keys), as config-parser-utils.sh does
  if [ ! -w "$conf_dir" ]; then echo "$conf_dir is read-only: $1 not set" >&2; return 0; fi
  if [ -f "$conf_file" ]; then sed -i "/^${1//./\\.}:/d" "$conf_file"; fi
  printf '%s: %s\n' "$1" "$2" >> "$conf_file"
}

enable_plugins() { # plugins/ is read-only here: build a writable copy of links in /tmp
  local dir=/tmp/flink-plugins name
  mkdir -p "$dir"
  for name in "$FLINK_HOME"/plugins/*/; do
    mkdir -p "$dir/$(basename "$name")" && ln -sf "$name"*.jar "$dir/$(basename "$name")/" 2>/dev/null || true
  done
  for jar in $(echo "$ENABLE_BUILT_IN_PLUGINS" | tr ';' ' '); do
    if [ ! -e "$FLINK_HOME/opt/$jar" ]; then echo "Plugin $jar does not exist. Exiting." >&2; exit 1; fi
    mkdir -p "$dir/${jar%.jar}" && ln -sf "$FLINK_HOME/opt/$jar" "$dir/${jar%.jar}/"
  done
  export FLINK_PLUGINS_DIR=$dir
}

if [ -n "${ENABLE_BUILT_IN_PLUGINS:-}" ]; then enable_plugins; fi
set_option jobmanager.rpc.address "${JOB_MANAGER_RPC_ADDRESS:-$(hostname -f 2>/dev/null || hostname)}"
set_option blob.server.port 6124
set_option query.server.port 6125
if [ -n "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ]; then
  set_option taskmanager.numberOfTaskSlots "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS"
fi
while IFS= read -r line; do
  line=$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  [ -z "$line" ] || [ "${line#\#}" != "$line" ] && continue
  key=${line%%:*} value=${line#*:}
  set_option "$key" "$(echo "$value" | sed 's/^[[:space:]]*//')"
done <<< "${FLINK_PROPERTIES:-}"

case ${1:-help} in
  jobmanager) shift; exec "$FLINK_HOME/bin/jobmanager.sh" start-foreground "$@" ;;
  standalone-job) shift; exec "$FLINK_HOME/bin/standalone-job.sh" start-foreground "$@" ;;
  taskmanager) shift; exec "$FLINK_HOME/bin/taskmanager.sh" start-foreground "$@" ;;
  help) echo "Usage: $(basename "$0") (jobmanager|standalone-job|taskmanager|help)"; exit 0 ;;
esac
exec "$@"
