#!/bin/bash
# kubernetes-jobmanager.sh kubernetes-session|kubernetes-application [ARGS...]: native mode JobManager.
case ${1:-} in
  kubernetes-session|kubernetes-application) exec "$(dirname "$0")/flink-console.sh" "$@" ;;
  *) echo "Usage: kubernetes-jobmanager.sh (kubernetes-session|kubernetes-application) [args]" >&2; exit 1 ;;
esac
