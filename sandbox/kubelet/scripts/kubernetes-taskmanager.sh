#!/bin/bash
# kubernetes-taskmanager.sh [ARGS...]: a TaskManager started by a native mode JobManager.
exec "$(dirname "$0")/flink-console.sh" kubernetes-taskmanager "$@"
