#!/usr/bin/env bash
# Runs the transport benchmarks on JDK 25 and JDK 17 and writes the Transport Performance Report.
#
#   bench/run-report.sh            full run, about 35.5 minutes on 2 cores (29.5 without the capacity run)
#   bench/run-report.sh --quick    smoke run, about 6.5 minutes (4 without the capacity run; figures only indicative)
#   bench/run-report.sh [--quick] [--no-build] [--pinned|--no-pinned] [--no-websocket] [--no-minilm]
#                       [--no-capacity] [--reference PATH [--reference-only]]
#
# What runs, per JDK (JDK 25 first: the targets are set for it):
#   InMemoryTransportBenchmark  secure channel vs plaintext framing over InMemoryDuplex:
#                               round trips, one-way bursts, handshakes (with and without the key pool)
#   TlsBenchmark                JDK TLS 1.3 (ChaCha20-Poly1305, AES-128-GCM) over SSLEngines on the
#                               same duplex and over loopback SSLSockets
#   WebSocketBenchmark          secure vs plain WebSocket over loopback: every stack (Tomcat, Jetty,
#                               Reactor Netty) and client (JDK, Reactor Netty) on JDK 25 (the targets),
#                               Reactor Netty both ends only on other JDKs
#   pinned round trips          the in-memory round trips again under `taskset -c $PIN_CPUS`, on
#                               JDK 25 (full runs, or --pinned), reported in their own tables; in
#                               full runs also the WebSocket 1,536 B round trips (Reactor Netty client)
#   SevSnpHandshakeBenchmark    SEV-SNP verification of a real Genoa report, alone and in a handshake
#   MiniLM (sample app)         LatencyReport: model time for 1 and 32 sentences, secure channel and
#                               REST round trips (JDK 25), into bench/target/minilm-inference.json
#   reference (--reference PATH) the reference crate's harness (PATH: its `rust-interop` binary, built as
#                               the README's benchmark section says) against our in-memory benchmarks
#                               that measure the same things, on REFERENCE_JDK (default 25), in
#                               alternating rounds, never two at once: ours, the reference's `bench`,
#                               ours, the reference's... REFERENCE_ROUNDS rounds each (default 2; 1 with
#                               --quick, where the harness also gets --quick). Ours per round:
#                               InMemoryTransportBenchmark handshake, handshakePooledKeys, roundTrip
#                               (1,536 B, 4 KiB, 384 KiB) and oneWayStreaming (1 MiB), mode=secure, every
#                               value of any other parameter (backend, record AEAD) the benchmark declares;
#                               JMH settings as the in-memory group, or REFERENCE_JMH_TIMING (JMH options).
#                               Raw outputs: bench/target/report/reference/round-N-ours-*.json/.txt and
#                               round-N-reference.txt (with a last line, `# cpu.others`, added here: CPU
#                               other processes used while the harness ran). Section 7 of the report.
#                               Full run: about 2 x (7 trials x 10 s + 15 s) = 3 min more.
#                               --reference-only runs only this (and the report), for a rerun.
#   capacity (bench/run-capacity.sh --no-build) last, after every benchmark and never beside one (its
#                               handshake rates need the CPUs), on JDK 25 (JDK 17 if 25 is missing):
#                               memory per idle session, handshakes per second and the outcome past
#                               max-sessions and max-pending-handshakes on each stack, into
#                               bench/target/capacity/capacity.md (console output: capacity.txt in
#                               the results). Section 8 of the report. About 6 minutes; --quick
#                               passes --sessions=2000 --step=500 --handshake-seconds=5. --no-capacity
#                               skips it and the report takes the capacity.md already there, if any
#                               (from a separate run of bench/run-capacity.sh); --reference-only
#                               skips it too.
#
# Budget (count before changing settings). Each trial forks a JVM: about 2 s with the pre-touched
# 2 GiB heap; a WebSocket trial also starts its web server and connects, about 6 s in all before the
# first iteration. From the 2026-11-27 full run on this 2-vCPU VM (27 min 39 s before the WebSocket
# handshake and pinned WebSocket groups joined; its WebSocket group took 10 min 44 s at 3 x 2 s):
#   full, JDK 25: in-memory 24 trials x (3+5 s + 2): 213 s; TLS 32 x (2+3 s + 2): 202 s; WebSocket
#     36 trials (3 stacks x 2 clients x 2 modes x 3 benchmarks) x (6+3 s + 6) = 540 s; WebSocket
#     handshake 6 trials: 58 s; SEV-SNP 17 s; pinned in-memory 6 x (3+5 s + 2): 59 s; pinned WebSocket
#     round trips 6 x (10+3 s + 10, slower to start on one CPU, where the JIT also needs the longer
#     warm-up: 3 x 2 s left them still falling): 137 s measured. Together about 1,230 s, 20.5 min
#   full, JDK 17: in-memory 212 s + TLS (ChaCha20 only) 99 s + WebSocket (reactive, netty) 6 x 15 s
#     + WebSocket handshake 2 trials 20 s + SEV-SNP 18 s = 439 s, about 7.5 min
#   with the build and the MiniLM measurement (75 s in that run): about 29.5 minutes (a whole run with
#   3 x 2 s of pinned WebSocket warm-up measured 28 min 57 s). The capacity run adds about 6 minutes
#   (run-capacity.sh's own figure), so about 35.5 minutes in all.
#   quick, per JDK: in-memory 10 + TLS 6 trials x (1+0.6 s + 2) = about 1 min; WebSocket on JDK 25
#     only, 5 trials (4 Reactor Netty, plus one Jetty trial: secure 1 MiB uploads with the Reactor
#     Netty client) x (1.6 + 6 s) and 2 handshake trials = about 1 min; with the build: 4 min 5 s measured,
#     before the capacity run joined (its quick figures: 12 server JVMs of a few seconds each, 6 x 6 s
#     of handshakes, 2,000 idle sessions per stack: about 2.5 min more, estimated).
#
# Results: bench/target/report/jmh-<jdk>-<group>.json (JMH JSON; "-pinned" in the name for the
# pinned run), the console output beside them (.txt), jdk-flags-<jdk>.txt (each JDK's properties
# and flags, with the diagnostic crypto intrinsic switches), and run.json (machine, CPU flags and
# run). The report:
# bench/target/transport-performance-report.md and .json. Section 5 (real-world impact) reads
# bench/target/minilm-inference.json when present (format: TransportReport's InferenceTimes);
# section 8 (capacity) reads bench/target/capacity/capacity.md when present.
#
# Environment: JDK17_HOME, JDK25_HOME and JDKS (default "25 17") as in run-core-bench.sh;
# AEAD (default aes-256-gcm, what two of our peers negotiate; or chacha20-poly1305) for the in-memory
# sections (the reference comparison measures both); PIN_CPUS (default 0) and PINNED_JDKS (default 25) for the pinned run; JMH_LOCK_WAIT seconds to
# wait for /tmp/jmh.lock (default 900).
#
# On a shared machine: JMH refuses to start while another JMH run holds /tmp/jmh.lock; this script
# then waits and retries. Every benchmark reports cpu.others (CPU other processes used during each
# iteration, from CpuTimeProfiler) and the report shows it per row: figures where it is well above 0
# were contended.
set -euo pipefail

cd "$(dirname "$0")/.."

quick=0
build=1
pinned=auto
websocket=1
minilm=1
capacity=1
reference=""
reference_only=0
expect_reference=0
for arg in "$@"; do
  if [[ $expect_reference -eq 1 ]]; then
    reference=$arg
    expect_reference=0
    continue
  fi
  case "$arg" in
    --reference) expect_reference=1 ;;
    --reference=*) reference=${arg#--reference=} ;;
    --reference-only) reference_only=1 ;;
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --pinned) pinned=1 ;;
    --no-pinned) pinned=0 ;;
    --no-websocket) websocket=0 ;;
    --no-minilm) minilm=0 ;;
    --no-capacity) capacity=0 ;;
    *) echo "unknown argument: $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [[ $expect_reference -eq 1 ]]; then
  echo "--reference needs the path of the reference harness binary (rust-interop)" >&2
  exit 2
fi
if [[ -n $reference ]]; then
  if [[ ! -x $reference || -d $reference ]]; then
    echo "--reference $reference: not an executable file (the reference harness, rust-interop)" >&2
    exit 2
  fi
  reference=$(cd "$(dirname "$reference")" && pwd)/$(basename "$reference")
elif [[ $reference_only -eq 1 ]]; then
  echo "--reference-only needs --reference PATH" >&2
  exit 2
fi
if [[ $reference_only -eq 1 ]]; then
  minilm=0
  pinned=0
  capacity=0
fi
if [[ $pinned == auto ]]; then
  pinned=$((1 - quick))
fi
if [[ $pinned -eq 1 ]] && ! command -v taskset >/dev/null; then
  echo "taskset not found: skipping the pinned run" >&2
  pinned=0
fi

JDK17_HOME=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDKS=${JDKS:-"25 17"}
PIN_CPUS=${PIN_CPUS:-0}
PINNED_JDKS=${PINNED_JDKS:-25}
AEAD=${AEAD:-aes-256-gcm}
JMH_LOCK_WAIT=${JMH_LOCK_WAIT:-900}
REFERENCE_JDK=${REFERENCE_JDK:-25}
REFERENCE_ROUNDS=${REFERENCE_ROUNDS:-$([[ $quick -eq 1 ]] && echo 1 || echo 2)}

out=bench/target/report
jar=bench/target/benchmarks.jar
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SECONDS=0
failed=()

if [[ $build -eq 1 ]]; then
  # Compiled for release 17 by the parent POM, so the one jar runs on both JDKs.
  if ! ./mvnw -q -pl bench,sample-inference-app -am install -DskipTests; then
    echo "The reactor build failed (another module mid-edit?); building bench alone against the installed snapshots." >&2
    ./mvnw -q -o -pl bench package -DskipTests
  fi
fi
rm -rf "$out"
mkdir -p "$out"

if [[ $minilm -eq 1 ]]; then
  # The sample app's real model next to the transport: medians over loopback, JDK 25.
  echo "=== MiniLM inference and round trips: $(date -u +%H:%M:%S)"
  rm -f bench/target/minilm-inference.json
  # Not offline: a machine whose Maven repository has never seen exec-maven-plugin fetches it once.
  JAVA_HOME=$JDK25_HOME ./mvnw -q -pl sample-inference-app exec:java -Dexec.mainClass=dev.securechannel.sample.LatencyReport \
    -Dexec.classpathScope=test -Dexec.args="$([[ $quick -eq 1 ]] && echo 60 || echo 150) $PWD/bench/target/minilm-inference.json" \
    > "$out/minilm.txt" 2>&1 || echo "!!! MiniLM measurement failed; see $out/minilm.txt" >&2
  grep -E 'median|wrote' "$out/minilm.txt" || true
fi

if [[ $quick -eq 1 ]]; then
  # A 1 s warm-up lets C2 compile the cipher loops (the JDK's ChaCha20 and Poly1305 intrinsics).
  timing=(-f 1 -wi 1 -w 1s -i 2 -r 300ms)
  tls_timing=("${timing[@]}")
  websocket_timing=("${timing[@]}")
else
  timing=()   # the annotations: 1 fork, warm-up 3 x 1 s, measurement 5 x 1 s
  tls_timing=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  # Each WebSocket trial starts a web server and moves 1 MiB messages through it: 3 x 2 s of warm-up
  # is what the JIT needs before figures settle (1 s gave 2-4x slower, erratic ones). Three measured
  # iterations of 1 s (five of 2 s before Jetty, the handshake and the pinned WebSocket round trips
  # joined) keep the whole run within the 30 minutes; the report takes the median of the iteration means.
  websocket_timing=(-f 1 -wi 3 -w 2s -i 3 -r 1s)
fi

# run_jmh JDK_HOME NAME [taskset prefix...] -- JMH arguments...
# Writes $out/jmh-NAME.json and .txt. Waits while another JMH run holds the lock; a failed group
# is recorded and skipped (the report then says "not measured" for its figures).
# The files go to ${jmh_prefix}NAME.json (default prefix: $out/jmh-).
run_jmh() {
  local home=$1 name=$2
  local file=${jmh_prefix:-$out/jmh-}$name
  shift 2
  local prefix=()
  while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
  shift
  local waited=0 status
  while true; do
    echo "=== $name: $(date -u +%H:%M:%S)"
    set +e
    "${prefix[@]+"${prefix[@]}"}" "$home/bin/java" -jar "$jar" "$@" -prof dev.securechannel.bench.CpuTimeProfiler \
      -rf json -rff "$file.json" > "$file.txt" 2>&1
    status=$?
    set -e
    # The summary's mean, p50 and cpu.others lines; the whole output is in the .txt file.
    grep -E '^(Benchmark +\(|[A-Za-z]+Benchmark\.[A-Za-z0-9]+(:p0\.50|:cpu\.others)? )' "$file.txt" || true
    if [[ $status -eq 0 ]] && ! grep -q 'benchmark sanity check failed\|<failure>' "$file.txt"; then
      return 0
    fi
    if grep -q 'Unable to acquire the JMH lock' "$file.txt" && (( waited < JMH_LOCK_WAIT )); then
      echo "another JMH run holds /tmp/jmh.lock; waiting 15 s" >&2
      sleep 15
      waited=$((waited + 15))
      continue
    fi
    echo "!!! $name failed or had errors (exit $status); see $file.txt" >&2
    failed+=("$name")
    return 0
  done
}

# Each JDK's version, vendor and flags, with the diagnostic crypto intrinsic switches (UseChaCha20Intrinsics...),
# for the report's methodology.
for jdk in $(printf '%s\n' $JDKS $([[ -n $reference ]] && echo "$REFERENCE_JDK") | sort -u); do
  home_var="JDK${jdk}_HOME"
  home=${!home_var:-}
  if [[ -n $home && -x $home/bin/java ]]; then
    "$home/bin/java" -XshowSettings:properties -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal -version \
      > "$out/jdk-flags-$jdk.txt" 2>&1 || true
    # What the core's auto backend selects on this JDK and CPU (what every run without a backend parameter uses).
    "$home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.securechannel.bench.CryptoBackendInfo \
      >> "$out/jdk-flags-$jdk.txt" 2>&1 || true
  fi
done

for jdk in $JDKS; do
  if [[ $reference_only -eq 1 ]]; then
    break
  fi
  home_var="JDK${jdk}_HOME"
  home=${!home_var:-}
  if [[ -z $home || ! -x $home/bin/java ]]; then
    echo "JDK $jdk not found (set $home_var)" >&2
    exit 1
  fi
  echo "##### JDK $jdk: $("$home/bin/java" -version 2>&1 | head -1)"
  if [[ $quick -eq 1 ]]; then
    run_jmh "$home" "$jdk-inmemory-roundtrip" -- 'InMemoryTransportBenchmark\.roundTrip$' "${timing[@]}" -p size=1536,393216 \
      -p aead="$AEAD"
    run_jmh "$home" "$jdk-inmemory-oneway" -- 'InMemoryTransportBenchmark\.oneWay(Streaming)?$' "${timing[@]}" -p size=1536,1048576 \
      -p aead="$AEAD"
    run_jmh "$home" "$jdk-inmemory-handshake" -- 'InMemoryTransportBenchmark\.handshake' "${timing[@]}"
    run_jmh "$home" "$jdk-tls-handshake" -- 'TlsBenchmark\.handshake$' "${tls_timing[@]}" -p suite=TLS_CHACHA20_POLY1305_SHA256
    run_jmh "$home" "$jdk-tls-roundtrip" -- 'TlsBenchmark\.roundTrip$' "${tls_timing[@]}" -p suite=TLS_CHACHA20_POLY1305_SHA256 -p size=1536
    run_jmh "$home" "$jdk-tls-oneway" -- 'TlsBenchmark\.oneWay$' "${tls_timing[@]}" -p suite=TLS_CHACHA20_POLY1305_SHA256 -p size=1048576
    if [[ $websocket -eq 1 && $jdk == 25 ]]; then
      # One stack and client (Reactor Netty both ends), round trip and upload: the Spring start-up dominates.
      run_jmh "$home" "$jdk-websocket" -- 'WebSocketBenchmark\.(roundTrip1536|upload1MiB)$' "${websocket_timing[@]}" \
        -p stack=reactive -p client=netty
      # One Jetty trial: that Jetty starts, upgrades and takes 1 MiB messages through the secure endpoint.
      run_jmh "$home" "$jdk-websocket-jetty" -- 'WebSocketBenchmark\.upload1MiB$' "${websocket_timing[@]}" \
        -p stack=jetty -p client=netty -p mode=secure
      # The handshake over WebSocket, secure and plain, on Reactor Netty both ends.
      run_jmh "$home" "$jdk-websocket-handshake" -- 'WebSocketHandshakeBenchmark\.' -f 1 -wi 1 -w 1s -i 1 -r 1s \
        -p stack=reactive -p client=netty
    fi
  else
    run_jmh "$home" "$jdk-inmemory" -- 'InMemoryTransportBenchmark\.' "${timing[@]+"${timing[@]}"}" -p aead="$AEAD"
    if [[ $jdk == 25 ]]; then
      run_jmh "$home" "$jdk-tls" -- 'TlsBenchmark\.' "${tls_timing[@]}"
    else
      # The other JDK gets the suite that matches our cipher, to keep the full run within 30 minutes.
      run_jmh "$home" "$jdk-tls" -- 'TlsBenchmark\.' "${tls_timing[@]}" -p suite=TLS_CHACHA20_POLY1305_SHA256
    fi
    if [[ $websocket -eq 1 && $jdk == 25 ]]; then
      # Every stack (servlet = Tomcat, jetty, reactive = Reactor Netty), client and mode: 36 trials.
      run_jmh "$home" "$jdk-websocket" -- 'WebSocketBenchmark\.' "${websocket_timing[@]}"
      # Handshakes over WebSocket (new connection, handshake, first echo), secure and plain, every server,
      # the Reactor Netty client: 6 trials with the class's sampling settings.
      run_jmh "$home" "$jdk-websocket-handshake" -- 'WebSocketHandshakeBenchmark\.' -p client=netty
    elif [[ $websocket -eq 1 ]]; then
      # Each trial starts a web server (~6 s); one stack and client keep the other JDK's share bounded.
      run_jmh "$home" "$jdk-websocket" -- 'WebSocketBenchmark\.' "${websocket_timing[@]}" -p client=netty -p stack=reactive
      run_jmh "$home" "$jdk-websocket-handshake" -- 'WebSocketHandshakeBenchmark\.' -p client=netty -p stack=reactive
    fi
  fi
  # The fixtures' real Genoa report; `timing` is empty in full runs (the class's annotations apply).
  # The jar carries that report, its certificates and the CRL, so nothing is read from outside.
  run_jmh "$home" "$jdk-sevsnp" -- 'SevSnpHandshakeBenchmark\.' "${timing[@]+"${timing[@]}"}"
  if [[ $pinned -eq 1 && " $PINNED_JDKS " == *" $jdk "* ]]; then
    # Client and peer threads on the same CPU(s): no cross-core wake-ups, but they take turns.
    if [[ $quick -eq 1 ]]; then
      run_jmh "$home" "$jdk-inmemory-roundtrip-pinned" taskset -c "$PIN_CPUS" -- 'InMemoryTransportBenchmark\.roundTrip$' \
        "${timing[@]}" -p size=1536 -p aead="$AEAD"
    else
      run_jmh "$home" "$jdk-inmemory-roundtrip-pinned" taskset -c "$PIN_CPUS" -- 'InMemoryTransportBenchmark\.roundTrip$' \
        "${timing[@]+"${timing[@]}"}" -p aead="$AEAD"
      if [[ $websocket -eq 1 ]]; then
        # The WebSocket round trips too, the whole JVM (both event loops, client, server) on those CPUs:
        # each server with the Reactor Netty client, plain and secure, 6 trials.
        run_jmh "$home" "$jdk-websocket-roundtrip-pinned" taskset -c "$PIN_CPUS" -- 'WebSocketBenchmark\.roundTrip1536$' \
          -f 1 -wi 5 -w 2s -i 3 -r 1s -p client=netty
      fi
    fi
  fi
done

# busy jiffies of the whole machine, from /proc/stat (user nice system irq softirq steal)
busy_jiffies() {
  awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat
}

# run_reference ROUND: the reference harness's bench, alone, into $out/reference/round-ROUND-reference.txt,
# then a last line with the CPU other processes used meanwhile (cores on average).
run_reference() {
  local file="$out/reference/round-$1-reference.txt"
  local b0 b1 t0 t1 status
  echo "=== reference round $1: $(date -u +%H:%M:%S)"
  b0=$(busy_jiffies)
  t0=$(date +%s.%N)
  set +e
  { TIMEFORMAT='%U %S'; time "$reference" bench $([[ $quick -eq 1 ]] && echo --quick) > "$file" 2> "$file.stderr"; } 2> "$file.time"
  status=$?
  set -e
  t1=$(date +%s.%N)
  b1=$(busy_jiffies)
  awk -v b0="$b0" -v b1="$b1" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$t1" 'NR == 1 {
      wall = t1 - t0; others = (b1 - b0) / hz - ($1 + $2); if (others < 0) others = 0;
      printf "# cpu.others %.2f cores (other processes while the harness ran; wall %.1f s, harness cpu %.1f s)\n", others / wall, wall, $1 + $2 }' \
    "$file.time" >> "$file"
  rm -f "$file.time"
  [[ -s $file.stderr ]] || rm -f "$file.stderr"
  grep -E '^(handshake|round trip|one-way|# cpu)' "$file" || true
  if [[ $status -ne 0 ]]; then
    echo "!!! reference round $1 failed (exit $status); see $file and $file.stderr" >&2
    failed+=("reference-round-$1")
  fi
}

if [[ -n $reference ]]; then
  home_var="JDK${REFERENCE_JDK}_HOME"
  home=${!home_var:-}
  if [[ -z $home || ! -x $home/bin/java ]]; then
    echo "JDK $REFERENCE_JDK not found (set $home_var) for the reference comparison" >&2
    exit 1
  fi
  if [[ -n ${REFERENCE_JMH_TIMING:-} ]]; then
    read -r -a reference_timing <<< "$REFERENCE_JMH_TIMING"
  else
    reference_timing=("${timing[@]+"${timing[@]}"}")
  fi
  mkdir -p "$out/reference"
  echo "##### Reference crate, same machine, same run: $REFERENCE_ROUNDS round(s) each, alternating; JDK $REFERENCE_JDK"
  for round in $(seq 1 "$REFERENCE_ROUNDS"); do
    jmh_prefix="$out/reference/" run_jmh "$home" "round-$round-ours-handshake-roundtrip" -- \
      'InMemoryTransportBenchmark\.(handshake|handshakePooledKeys|roundTrip)$' "${reference_timing[@]+"${reference_timing[@]}"}" \
      -p mode=secure -p size=1536,4096,393216 -p aead=chacha20-poly1305,aes-256-gcm
    jmh_prefix="$out/reference/" run_jmh "$home" "round-$round-ours-streaming" -- \
      'InMemoryTransportBenchmark\.oneWayStreaming$' "${reference_timing[@]+"${reference_timing[@]}"}" \
      -p mode=secure -p size=1048576 -p aead=chacha20-poly1305,aes-256-gcm
    run_reference "$round"
  done
fi

capacity_file=bench/target/capacity/capacity.md
if [[ $capacity -eq 1 ]]; then
  # Last, after every benchmark: its servers and clients load both cores, and the handshake rates
  # need the machine to themselves. run-capacity.sh runs `java` from PATH, so put the JDK in front.
  echo "=== capacity: $(date -u +%H:%M:%S)"
  rm -f "$capacity_file"
  capacity_home=$JDK25_HOME
  [[ -x $capacity_home/bin/java ]] || capacity_home=$JDK17_HOME
  capacity_args=()
  if [[ $quick -eq 1 ]]; then
    capacity_args=(--sessions=2000 --step=500 --handshake-seconds=5)
  fi
  if PATH="$capacity_home/bin:$PATH" bench/run-capacity.sh --no-build "${capacity_args[@]+"${capacity_args[@]}"}" \
      > "$out/capacity.txt" 2>&1 && [[ -s $capacity_file ]]; then
    sed -n '/^### /,$p' "$capacity_file"
  else
    echo "!!! capacity run failed; see $out/capacity.txt" >&2
    failed+=("capacity")
  fi
fi

finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
json_string() {
  local value=${1//\\/\\\\}
  printf '"%s"' "${value//\"/\\\"}"
}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain 2>/dev/null | head -1) ]]; then
  commit="$commit-dirty"
fi
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
memory_kib=$(grep -m1 '^MemTotal:' /proc/meminfo 2>/dev/null | tr -dc '0-9' || true)
notes=""
if [[ ${#failed[@]} -gt 0 ]]; then
  notes="groups with errors: ${failed[*]}"
fi
{
  echo "{"
  echo "  \"command\": $(json_string "bench/run-report.sh $*"),"
  echo "  \"profile\": \"$([[ $quick -eq 1 ]] && echo quick || echo full)\","
  echo "  \"startedAt\": \"$started_at\","
  echo "  \"finishedAt\": \"$finished_at\","
  echo "  \"durationSeconds\": $SECONDS,"
  echo "  \"gitCommit\": $(json_string "$commit"),"
  echo "  \"cpuModel\": $(json_string "${cpu_model:-unknown}"),"
  if [[ -n $cpu_flags ]]; then
    echo "  \"cpuFlags\": $(json_string "$cpu_flags"),"
  fi
  if [[ -n $reference ]]; then
    echo "  \"referenceHarness\": $(json_string "$reference"),"
    echo "  \"referenceRounds\": $REFERENCE_ROUNDS,"
    echo "  \"referenceJdk\": $REFERENCE_JDK,"
  fi
  echo "  \"cores\": $(nproc),"
  if [[ -n $memory_kib ]]; then
    echo "  \"memory\": \"$(awk -v kib="$memory_kib" 'BEGIN { printf "%.1f GiB", kib / 1048576 }')\","
  fi
  echo "  \"kernel\": $(json_string "$(uname -sr)"),"
  echo "  \"pinnedCpus\": $(json_string "$([[ $pinned -eq 1 ]] && echo "$PIN_CPUS" || true)"),"
  echo "  \"notes\": $(json_string "$notes")"
  echo "}"
} > "$out/run.json"

report_java="$JDK25_HOME/bin/java"
[[ -x $report_java ]] || report_java="$JDK17_HOME/bin/java"
"$report_java" -cp "$jar" dev.securechannel.bench.report.TransportReport \
  --results-dir "$out" --run "$out/run.json" --inference bench/target/minilm-inference.json --capacity "$capacity_file" \
  --out bench/target
echo
sed -n '/^## Targets/,/^## 1\./p' bench/target/transport-performance-report.md | sed '$d'
if [[ -n $reference ]]; then
  sed -n '/^## 7\./,/^### /p' bench/target/transport-performance-report.md | sed '$d'
fi
echo "Finished in $((SECONDS / 60)) min $((SECONDS % 60)) s."
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "Groups with errors: ${failed[*]} (their figures read \"not measured\")." >&2
fi
