#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs a soak: a real server and churning clients in one
# JVM for a given time (default 10 minutes), sampling heap after GC, direct memory, threads,
# file descriptors, live sessions and the server's connection registry. Exit status 0 when
# nothing grew without bound and every request was answered, 1 when not.
#
#   bench/run-soak.sh                                   10 minutes on Tomcat, 8 clients
#   bench/run-soak.sh --duration=1h --stack=reactive    an hour on Reactor Netty
#   bench/run-soak.sh --no-build --duration=90s         reuse the jar
#
# Options (after --no-build, if given): --duration=10m (s, m, h), --stack=servlet|jetty|reactive,
# --clients=8, --sample-every=5s, --max-frame-size=1048576, --vanish=0.15 (share of sessions
# whose client vanishes), --seed=N, --out=bench/target/soak.
# Output: soak.csv, soak.svg (a panel per watched series) and soak-summary.md in --out.
# SOAK_HEAP sets the JVM's heap (default 512m): a leak then also ends in an OutOfMemoryError.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  ./mvnw -q -B -ntp -pl bench -am package -DskipTests
fi

native_access=()
if java -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1 \
    && [ "$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')" -ge 24 ]; then
  native_access=(--enable-native-access=ALL-UNNAMED)
fi
exec java -Xms"${SOAK_HEAP:-512m}" -Xmx"${SOAK_HEAP:-512m}" "${native_access[@]}" \
  -cp bench/target/benchmarks.jar dev.securechannel.bench.soak.SoakRun "$@"
