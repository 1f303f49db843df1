#!/usr/bin/env bash
# Runs the coordinator server (io.metafed.coordinator.server.CoordinatorMain), building first when needed.
# Example: coordinator/run-coordinator.sh --init --port 8443 --data-dir /tmp/metafed --clients-per-round 10 \
#              --enrollment-token-file tokens.txt --catalog ml-100k/u.item
# Serves the collaborative model over the items of --catalog (one id per line, or the first field of a MovieLens
# u.item/movies.dat/movies.csv); --model melu serves the MeLU MLP, which needs no catalogue. A data directory keeps
# its model: a restart with other --model/--catalog/--genres/--content/--item-rows/--dim/--ridge/--item-reg is
# refused in one line. --content SCHEMA: the content schema ./metafed simulate prints after "schema=".
# Stops cleanly on SIGTERM / Ctrl-C. --help lists every option.
# JVM flags: METAFED_JAVA_OPTS. Configuration, not a default: for plain-update ingestion on a small machine,
# METAFED_JAVA_OPTS=-XX:+UseParallelGC cut the JVM's CPU per update by ~10 % in the ingestion bench (no young
# collection during a 1,000-update round; docs/PERFORMANCE.md, "Coordinator ingestion over HTTPS"). Secure
# aggregation, the server's default, was not measured with it, so the JVM's own choice (G1) stays the default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/coordinator/target/coordinator-0.1.0-SNAPSHOT.jar"
classpath="$root/coordinator/target/runtime-classpath.txt"
stale() {
  [[ ! -f "$jar" || ! -f "$classpath" ]] && return 0
  [[ -n "$(find "$root/atomic-files" "$root/shared-model" "$root/security" "$root/coordinator" -path "*/src/main/*" -newer "$jar" -print -quit)" ]] && return 0
  [[ -n "$(find "$root" -maxdepth 2 -name pom.xml -newer "$jar" -print -quit)" ]]
}
if stale; then
  echo "run-coordinator: building (mvn -B -q -pl coordinator -am -DskipTests package)..." >&2
  (cd "$root" && mvn -B -q -pl coordinator -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime) >&2
fi
# Production runs only what the coordinator needs: never test frameworks or test jars.
if grep -qE '(junit|opentest4j|-tests\.jar)' "$classpath"; then
  echo "run-coordinator: $classpath holds test dependencies; delete it and run again" >&2
  exit 1
fi
exec java ${METAFED_JAVA_OPTS:-} -cp "$jar:$(cat "$classpath")" io.metafed.coordinator.server.CoordinatorMain "$@"
