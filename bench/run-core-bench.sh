#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs the secure-channel-core JMH benchmarks
# (RecordBenchmark, TensorSealBenchmark, HandshakeBenchmark, PrimitivesBenchmark) on JDK 17
# and on JDK 25.
#
#   bench/run-core-bench.sh            full run, about 12-15 minutes on 2 cores
#   bench/run-core-bench.sh --quick    smoke run, about 2-3 minutes (numbers only indicative)
#   bench/run-core-bench.sh [--quick] [--no-build] [--only=REGEX] [extra JMH args...]
#       e.g. bench/run-core-bench.sh --only='RecordBenchmark.seal$' -prof gc
#
# Results: bench/target/jmh-17.json and bench/target/jmh-25.json (JMH JSON), plus the
# console output in bench/target/jmh-<jdk>.txt.
#
# JDKs: JDK17_HOME and JDK25_HOME override the defaults below; JDKS="25" runs only one.
#
# On a shared machine: JMH refuses to start while another JMH run holds /tmp/jmh.lock, and
# every benchmark reports cpu.others (CPU used by other processes during each iteration);
# iterations where it is well above 0 were contended.
set -euo pipefail

cd "$(dirname "$0")/.."

quick=0
build=1
# Default selection: the core benchmark classes (not the Micrometer or WebSocket ones).
only='dev\.securechannel\.bench\.(Record|TensorSeal|Handshake|Primitives)Benchmark\.'
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --only=*) only=${arg#--only=} ;;
    *) extra+=("$arg") ;;
  esac
done

JDK17_HOME=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDKS=${JDKS:-"17 25"}

if [[ $build -eq 1 ]]; then
  # Compiled for release 17 by the parent POM, so the one jar runs on both JDKs.
  ./mvnw -q -pl bench -am package -DskipTests
fi
jar=bench/target/benchmarks.jar

if [[ $quick -eq 1 ]]; then
  # One short warm-up and two short measurements; two frame sizes, one tensor size.
  settings=(-f 1 -wi 1 -w 500ms -i 2 -r 300ms -p size=1536,393216 -p rows=256)
else
  settings=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
fi

for jdk in $JDKS; do
  home_var="JDK${jdk}_HOME"
  home=${!home_var:-}
  if [[ -z $home || ! -x $home/bin/java ]]; then
    echo "JDK $jdk not found (set $home_var)" >&2
    exit 1
  fi
  echo "=== JDK $jdk: $("$home/bin/java" -version 2>&1 | head -1)"
  # CpuTimeProfiler adds cpu.time/op (process CPU per operation) and cpu.others (CPU that
  # other processes used during each iteration): distrust iterations where cpu.others is
  # well above 0, since the other process was competing for the 2 cores.
  "$home/bin/java" -jar "$jar" "$only" "${settings[@]}" -prof dev.securechannel.bench.CpuTimeProfiler \
    -rf json -rff "bench/target/jmh-$jdk.json" "${extra[@]+"${extra[@]}"}" \
    | tee "bench/target/jmh-$jdk.txt"
done
