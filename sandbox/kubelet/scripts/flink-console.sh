#!/bin/bash
# flink-console.sh SERVICE [ARGS...]: run one Flink process in the foreground, as Flink's own
# script of that name does: JVM memory flags from BashJavaUtils, the Java 17 module flags,
# env.java.opts.* from config.yaml, logging to the console and to $FLINK_LOG_DIR.
set -eu
service=$1; shift
export FLINK_HOME=${FLINK_HOME:-/opt/flink}
export FLINK_CONF_DIR=${FLINK_CONF_DIR:-$FLINK_HOME/conf} FLINK_BIN_DIR=$FLINK_HOME/bin
export FLINK_LIB_DIR=${FLINK_LIB_DIR:-$FLINK_HOME/lib} FLINK_OPT_DIR=${FLINK_OPT_DIR:-$FLINK_HOME/opt}
export FLINK_PLUGINS_DIR=${FLINK_PLUGINS_DIR:-$FLINK_HOME/plugins}
log_dir=${FLINK_LOG_DIR:-$FLINK_HOME/log}
case $service in
  standalonesession) role=jobmanager class=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint ;;
  standalonejob) role=jobmanager class=org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint ;;
  kubernetes-session) role=jobmanager class=org.apache.flink.kubernetes.entrypoint.KubernetesSessionClusterEntrypoint ;;
  kubernetes-application) role=jobmanager class=org.apache.flink.kubernetes.entrypoint.KubernetesApplicationClusterEntrypoint ;;
  taskexecutor) role=taskmanager class=org.apache.flink.runtime.taskexecutor.TaskManagerRunner ;;
  kubernetes-taskmanager) role=taskmanager class=org.apache.flink.kubernetes.taskmanager.KubernetesTaskExecutorRunner ;;
  *) echo "Unknown service '$service'" >&2; exit 1 ;;
esac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
small="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=64m -Xss512k"
java17=$(cat "$FLINK_BIN_DIR/java17-opts")
conf() { # the value of a flat key in config.yaml, without quotes
  sed -n "s/^${1//./\\.}:[[:space:]]*//p" "$FLINK_CONF_DIR/config.yaml" 2>/dev/null | tail -1 | sed "s/^[\"']//; s/[\"']\$//"
}
kind=JM; [ "$role" = taskmanager ] && kind=TM
out=$("$java" $small -cp "$FLINK_BIN_DIR/bash-java-utils.jar:$FLINK_LIB_DIR/*" \
  org.apache.flink.runtime.util.bash.BashJavaUtils "GET_${kind}_RESOURCE_PARAMS" --configDir "$FLINK_CONF_DIR" "$@" 2>&1) || {
  echo "[ERROR] Could not get JVM parameters and dynamic configurations properly." >&2; echo "$out" >&2; exit 1; }
params=$(echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -2)
jvm_mem=$(echo "$params" | sed -n 1p) dynamic=$(echo "$params" | sed -n 2p)
opts="$(conf env.java.opts.all) $(conf "env.java.opts.$role") ${FLINK_ENV_JAVA_OPTS:-}"
log="$log_dir/flink--$service-0-${HOSTNAME:-$(hostname)}.log"
echo "Starting $service as a console application on host ${HOSTNAME:-$(hostname)}."
# shellcheck disable=SC2086 # word splitting of the flag lists is intended
exec "$java" $java17 $small $jvm_mem $opts -Dlog.file="$log" \
  -Dlog4j.configuration="file:$FLINK_CONF_DIR/log4j-console.properties" \
  -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-console.properties" \
  -Dlogback.configurationFile="file:$FLINK_CONF_DIR/logback-console.xml" \
  -classpath "$FLINK_LIB_DIR/*" "$class" --configDir "$FLINK_CONF_DIR" $dynamic "$@"
