#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and measures what one server instance holds and admits, on
# each stack (Tomcat, Jetty, Reactor Netty): memory per idle session and idle sessions per GiB
# (server heap 1 GiB, in its own JVM), handshakes per second with mock attestation and with
# SEV-SNP verification of a real report over cached collateral, and what happens one session
# past max-sessions and one handshake past max-pending-handshakes. About 6 minutes.
#
#   bench/run-capacity.sh                                 all three stacks, 10,000 idle sessions
#   bench/run-capacity.sh --stacks=reactive --sessions=20000
#   bench/run-capacity.sh --no-build ...                  reuse the jar
#
# Options: --stacks=servlet,jetty,reactive --sessions=10000 --step=1000 --handshake-seconds=20
# --handshake-clients=8 --out=bench/target/capacity. The result is bench/target/capacity/capacity.md,
# which the transport report (bench/run-report.sh) includes. Run it on an idle machine: the
# handshake rates share the CPUs with the clients.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  ./mvnw -q -B -ntp -pl bench -am package -DskipTests
fi

# The clients hold as many sessions as the server: a file descriptor each, on both sides.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xms1g -Xmx4g -cp bench/target/benchmarks.jar dev.securechannel.bench.capacity.CapacityRun "$@"
