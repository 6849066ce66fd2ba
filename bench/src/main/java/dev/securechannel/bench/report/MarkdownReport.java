package dev.securechannel.bench.report;

import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import dev.securechannel.bench.report.JdkFigures.ThroughputRow;
import dev.securechannel.bench.report.JdkFigures.TlsRow;
import dev.securechannel.bench.report.JdkFigures.WebSocketRow;
import dev.securechannel.bench.report.Targets.Status;
import dev.securechannel.bench.report.Targets.Target;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ReportModel} as the Markdown Transport Performance Report, in the reference's
 * layout: targets, then 1 Methodology, 2 Handshake latency, 3 Steady-state round trip,
 * 4 Sustained throughput, 5 Real-world impact, 6 Side by side, 7 Reference crate, same machine,
 * same run, and notes. Each JDK gets its own
 * tables. Figures the run did not measure read "not measured".
 */
public final class MarkdownReport {

    /** What a table cell says for a figure the run lacks. */
    static final String NOT_MEASURED = "not measured";
    /** cpu.others above this (cores) means another process competed for the CPUs during the measurement. */
    static final double CONTENDED_CPU_OTHERS = 0.15;

    private final ReportModel model;
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport(ReportModel model) {
        this.model = model;
    }

    /** The report as Markdown. */
    public static String render(ReportModel model) {
        return new MarkdownReport(model).write();
    }

    private String write() {
        line("# Transport Performance Report");
        line();
        RunDescription run = model.run();
        line("Generated " + model.generatedAt() + " from " + model.inputs().size() + " input file(s). Run: `" + run.command() + "`"
                + (run.profile().equals("unknown") ? "" : ", " + run.profile() + " profile")
                + (Double.isNaN(run.durationSeconds()) ? "" : String.format(Locale.ROOT, ", %.0f min", run.durationSeconds() / 60)) + ".");
        line();
        if (run.quick()) {
            line("> **Quick run**: one short warm-up and two short measurement iterations per benchmark, fewer sizes, on a "
                    + "machine that may have been busy. The figures show that everything runs; they are not measurements to quote.");
            line();
        }
        if (model.jdks().isEmpty()) {
            line("> **No benchmark results were found.** Every figure below reads \"not measured\".");
            line();
        }
        for (String warning : model.warnings()) {
            line("> Skipped input: " + warning);
        }
        if (!model.warnings().isEmpty()) {
            line();
        }
        targets();
        methodology();
        handshakes();
        roundTrips();
        throughput();
        impact();
        sideBySide();
        sameRunReference();
        notes();
        return out.toString();
    }

    private void targets() {
        line("## Targets (JDK " + Targets.TARGET_JDK + ", medians)");
        line();
        line("| Target | Threshold | Measured | Status | From |");
        line("|---|---|---|---|---|");
        int met = 0;
        int notMeasured = 0;
        for (Target target : model.targets()) {
            met += target.status() == Status.MET ? 1 : 0;
            notMeasured += target.status() == Status.NOT_MEASURED ? 1 : 0;
            line(row(target.description(), target.comparison().symbol() + " " + threshold(target.threshold()) + " " + target.unit(),
                    Double.isNaN(target.measured()) ? NOT_MEASURED : measured(target.measured(), target.unit()) + " " + target.unit(),
                    switch (target.status()) {
                        case MET -> "met";
                        case MISSED -> "**missed**";
                        case NOT_MEASURED -> NOT_MEASURED;
                    }, target.detail()));
        }
        line();
        line(String.format(Locale.ROOT, "Met %d of %d measured targets (%d not measured).",
                met, model.targets().size() - notMeasured, notMeasured));
        line();
    }

    private void methodology() {
        RunDescription run = model.run();
        line("## 1. Methodology");
        line();
        line("| Parameter | Value |");
        line("|---|---|");
        Platform platform = model.platform();
        line(row("CPU", run.cpuModel()));
        line(row("CPU vector and crypto extensions", platform.cpuExtensionsSummary() + " (from /proc/cpuinfo)"));
        line(row("Logical CPUs", String.valueOf(run.cores())));
        line(row("Memory", run.memory()));
        line(row("Kernel", run.kernel()));
        for (JdkFigures jdk : model.jdks()) {
            line(row("JDK " + jdk.feature(), jdk.jdkVersion() + ", " + jdk.vm() + " (`" + jdk.jvm() + "`)"));
        }
        if (model.jdks().isEmpty()) {
            line(row("JDK", NOT_MEASURED));
        }
        for (Platform.JdkInfo jdk : platform.jdks()) {
            line(row("JDK " + jdk.feature() + " vendor and crypto intrinsics", jdk.version() + ", " + jdk.vendor() + "; " + jdk.intrinsicsSummary()));
        }
        if (platform.jdks().isEmpty()) {
            line(row("JDK crypto intrinsics", "not recorded (`bench/run-report.sh` writes them to `jdk-flags-<feature>.txt`)"));
        }
        line(row("Crypto backend", model.cryptoBackend()));
        for (Platform.JdkInfo jdk : platform.jdks()) {
            line(row("JDK " + jdk.feature() + " crypto backend (auto)", jdk.cryptoBackend()));
        }
        for (Map.Entry<String, String> version : model.versions().entrySet()) {
            line(row(version.getKey(), version.getValue()));
        }
        line(row("Transport", "`InMemoryDuplex`: in-process queues, the client on the benchmark thread and the peer (echo, drain "
                + "or accept) on a second thread, as the reference's `tokio::io::duplex`; no network"));
        line(row("Plaintext baseline", "the same frames (`FrameCodec`) over the same duplex, unencrypted: the difference is the cryptography"));
        line(row("Attestation", "`InsecureMockAttestationProvider` / `InsecureMockAttestationVerifier` on both sides (mock)"));
        line(row("Cipher", "AES-256-GCM, which both sides negotiate by default (PROTOCOL.md section 8.2), unless a table names "
                + "ChaCha20-Poly1305 (base version 4, the reference crate's only AEAD)"));
        line(row("Key agreement", "X25519 + HKDF-SHA256"));
        line(row("TLS competitor", "JDK TLS 1.3 " + tlsSuitesMeasured() + "; x25519; self-signed ECDSA P-256 certificate generated in memory, "
                + "client trust pinned to it; server authentication only; every handshake full (no resumption, checked). "
                + "Over `SSLEngine`s on the same duplex and thread layout, and over loopback `SSLSocket`s (`TCP_NODELAY`)"));
        line(row("WebSocket", "`WebSocketBenchmark`: each server stack in the benchmark JVM (Tomcat and Jetty: Spring WebSocket on "
                + "JSR-356; Reactor Netty: Spring WebFlux), loopback TCP, secure channel against plain binary WebSocket on the same "
                + "stack and client (the JDK's `java.net.http.WebSocket` or Reactor Netty's)"));
        line(row("JMH", model.jmhVersion() + "; " + settingsSummary()));
        Set<String> jvmArgs = new TreeSet<>();
        model.jdks().forEach(jdk -> jvmArgs.addAll(jdk.jvmArgs()));
        line(row("Fork JVM flags", jvmArgs.isEmpty() ? "none recorded" : String.join("; ", jvmArgs.stream().map(args -> "`" + args + "`").toList())));
        boolean anyPinned = model.jdks().stream().anyMatch(jdk -> !jdk.pinnedRoundTrips().isEmpty());
        line(row("Pinning", anyPinned
                ? "unpinned, except the separate \"pinned\" round-trip tables (`taskset -c " + (run.pinnedCpus().isEmpty() ? "?" : run.pinnedCpus())
                + "`: client and peer threads share those CPUs); targets use the unpinned figures"
                : "none: the scheduler places threads freely"));
        line(row("Contention", "`cpu.others` (`CpuTimeProfiler`): CPU other processes used while measuring, in cores, per row; "
                + "above " + CONTENDED_CPU_OTHERS + " the figure was contended"));
        line(row("Commit", run.gitCommit()));
        line(row("Run", "started " + run.startedAt() + ", finished " + run.finishedAt()
                + (run.notes().isEmpty() ? "" : "; " + run.notes())));
        line();
    }

    private String tlsSuitesMeasured() {
        Set<String> suites = new TreeSet<>();
        model.jdks().forEach(jdk -> jdk.tls().forEach(row -> suites.add(row.suite())));
        return suites.isEmpty() ? "(not measured in this run)" : "(" + String.join(", ", suites) + ")";
    }

    private String settingsSummary() {
        List<String> parts = new ArrayList<>();
        for (JdkFigures jdk : model.jdks()) {
            for (Map.Entry<String, Set<String>> entry : jdk.settings().entrySet()) {
                parts.add("JDK " + jdk.feature() + " " + entry.getKey() + ": " + String.join(" / ", entry.getValue()));
            }
        }
        return parts.isEmpty() ? "no results" : String.join("; ", parts);
    }

    private void handshakes() {
        line("## 2. Handshake latency");
        line();
        line("A fresh connection and a full handshake per operation, both sides established, then both closed. "
                + "Over loopback WebSocket the operation is what a client sees: TCP connect, WebSocket upgrade, the handshake and "
                + "the first reply (a 1 B echo, which proves the server is established too); the plain WebSocket row beside it "
                + "is the same without the channel. "
                + "Sampled per operation: p50/p95/p99 from JMH's percentiles, the interval is the 95% confidence interval of the median.");
        line();
        for (JdkFigures jdk : model.jdks()) {
            line("### JDK " + jdk.feature());
            line();
            line("| Handshake | p50 | p95 | p99 | 95% CI (p50) | Samples | cpu.others |");
            line("|---|---|---|---|---|---|---|");
            for (HandshakeRow handshake : jdk.handshakes()) {
                line(latencyRow(handshake.label(), handshake.latency()));
            }
            for (TlsRow tls : jdk.tls()) {
                line(latencyRow("JDK TLS 1.3 " + tls.suite() + ", " + transportLabel(tls.transport()), tls.handshake()));
            }
            line();
        }
        noJdks();
    }

    private void roundTrips() {
        line("## 3. Steady-state round trip");
        line();
        line("On an established connection (handshake excluded): send one message, the peer echoes it from its thread, receive it. "
                + "Overhead = secure p50 / plaintext p50 - 1.");
        line();
        for (JdkFigures jdk : model.jdks()) {
            line("### JDK " + jdk.feature());
            line();
            roundTripTable(jdk.roundTrips());
            if (!jdk.pinnedRoundTrips().isEmpty()) {
                line("Pinned (`taskset -c " + model.run().pinnedCpus() + "`), a separate run:");
                line();
                roundTripTable(jdk.pinnedRoundTrips());
            }
            webSocketRoundTrips("Loopback WebSocket, 1,536 B round trip (median of iteration means, us per round trip):",
                    jdk.webSocket());
            webSocketRoundTrips("Loopback WebSocket, 1,536 B round trip, pinned (`taskset -c " + model.run().pinnedCpus()
                    + "`: both event loops, the client and the server in this JVM share those CPUs), a separate run:", jdk.pinnedWebSocket());
        }
        noJdks();
    }

    private void webSocketRoundTrips(String title, List<WebSocketRow> rows) {
        List<WebSocketRow> roundTrips = rows.stream().filter(row -> !row.isThroughput()).toList();
        if (roundTrips.isEmpty()) {
            return;
        }
        line(title);
        line();
        line("| Server | Client | Plain | Secure | Secure / plain |");
        line("|---|---|---|---|---|");
        for (WebSocketRow row : roundTrips) {
            line(row(row.server(), row.clientLibrary(), micros(row.plain()), micros(row.secure()), ratio(row.secureOverPlain())));
        }
        line();
    }

    private void roundTripTable(List<RoundTripRow> rows) {
        if (rows.isEmpty()) {
            line("In-memory round trips: " + NOT_MEASURED + ".");
            line();
            return;
        }
        line("| Payload | Plaintext p50 | Secure p50 | Secure p95 | Secure p99 | 95% CI (p50) | Overhead | cpu.others |");
        line("|---|---|---|---|---|---|---|---|");
        for (RoundTripRow row : rows) {
            Figure secure = row.secure();
            line(row(size(row.size()), micros(row.plain()), micros(secure),
                    secure == null ? NOT_MEASURED : micros(secure.p95Micros()),
                    secure == null ? NOT_MEASURED : micros(secure.p99Micros()),
                    secure == null ? NOT_MEASURED : "[" + micros(secure.ciLowMicros()) + " .. " + micros(secure.ciHighMicros()) + "]",
                    percent(row.overheadPercent()), cpuOthers(secure)));
        }
        line();
    }

    private void throughput() {
        line("## 4. Sustained throughput");
        line();
        line("One way: the client sends a burst, the peer drains it on its thread (no echo); one operation is one burst, "
                + "timed until the last message has been received. Throughput = burst bytes / median time per burst "
                + "(1 MB/s = 10^6 B/s). Overhead = 1 - secure / plaintext throughput.");
        line();
        for (JdkFigures jdk : model.jdks()) {
            line("### JDK " + jdk.feature());
            line();
            if (jdk.throughput().isEmpty()) {
                line("In-memory bursts: " + NOT_MEASURED + ".");
                line();
            } else {
                line("| Payload | Burst | Plaintext | Secure | 95% CI | Overhead | cpu.others |");
                line("|---|---|---|---|---|---|---|");
                for (ThroughputRow row : jdk.throughput()) {
                    Figure secure = row.secure();
                    String interval = NOT_MEASURED;
                    if (secure != null) {
                        double[] bounds = secure.bytesPerSecondInterval(row.burstBytes());
                        interval = "[" + rate(bounds[0]) + " .. " + rate(bounds[1]) + "]";
                    }
                    line(row(size(row.size()), row.burst() + "x", rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()),
                            interval, percent(row.overheadPercent()), cpuOthers(secure)));
                }
                line();
            }
            if (!jdk.streaming().isEmpty()) {
                line("Streaming: the same bursts, the next one sent while the peer still drains the previous (at most two in flight), "
                        + "so sealing and opening overlap on the two threads as in a sustained upload:");
                line();
                line("| Payload | Burst | Plaintext | Secure | Overhead | cpu.others |");
                line("|---|---|---|---|---|---|");
                for (ThroughputRow row : jdk.streaming()) {
                    line(row(size(row.size()), row.burst() + "x", rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()),
                            percent(row.overheadPercent()), cpuOthers(row.secure())));
                }
                line();
            }
            List<WebSocketRow> webSocket = jdk.webSocket().stream().filter(WebSocketRow::isThroughput).toList();
            if (!webSocket.isEmpty()) {
                line("Loopback WebSocket, 1 MiB messages in bursts (median of iteration means):");
                line();
                line("| Server | Client | Direction | Plain | Secure | Secure time / plain time |");
                line("|---|---|---|---|---|---|");
                for (WebSocketRow row : webSocket) {
                    line(row(row.server(), row.clientLibrary(), direction(row),
                            rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()), ratio(row.secureOverPlain())));
                }
                line();
            }
            webSocketChoice(jdk);
        }
        noJdks();
    }

    /**
     * Per kind of traffic, the server and client that carried it fastest over the secure channel,
     * and the slowest for scale; only when the run measured more than one server and client.
     */
    private void webSocketChoice(JdkFigures jdk) {
        long pairs = jdk.webSocket().stream().filter(row -> row.secure() != null).map(WebSocketRow::pair).distinct().count();
        if (pairs < 2) {
            return;
        }
        line("Which WebSocket combination to pick, from this run: per kind of traffic the fastest server and client with the "
                + "secure channel (median), and the slowest for scale:");
        line();
        line("| Traffic | Fastest | Secure | Plain, same pair | Slowest | Secure |");
        line("|---|---|---|---|---|---|");
        for (String benchmark : JdkFigures.WEB_SOCKET_BENCHMARKS) {
            WebSocketRow fastest = jdk.fastestSecureWebSocket(benchmark);
            WebSocketRow slowest = jdk.slowestSecureWebSocket(benchmark);
            if (fastest == null || slowest == null) {
                continue;
            }
            boolean alone = fastest == slowest;
            line(row(traffic(benchmark), fastest.pair(), webSocketValue(fastest, fastest.secure()), webSocketValue(fastest, fastest.plain()),
                    alone ? "-" : slowest.pair(), alone ? "-" : webSocketValue(slowest, slowest.secure())));
        }
        line();
    }

    private static String traffic(String benchmark) {
        return benchmark.startsWith("roundTrip") ? "1,536 B round trips"
                : "1 MiB messages " + (benchmark.startsWith("upload") ? "client to server" : "server to client");
    }

    private static String direction(WebSocketRow row) {
        return row.benchmark().startsWith("upload") ? "client to server" : "server to client";
    }

    /** A WebSocket figure as its table shows it: time per round trip, or throughput for 1 MiB messages. */
    private static String webSocketValue(WebSocketRow row, @Nullable Figure figure) {
        if (figure == null) {
            return NOT_MEASURED;
        }
        return row.isThroughput() ? rate(figure.bytesPerSecond(JdkFigures.WEB_SOCKET_MESSAGE_BYTES)) : micros(figure);
    }

    private void impact() {
        line("## 5. Real-world impact");
        line();
        RealWorldImpact impact = model.impact();
        if (impact == null) {
            line(model.impactUnavailable());
            line();
            return;
        }
        InferenceTimes times = impact.times();
        double single = times.singleSentenceMillis();
        double batch = times.batch32Millis();
        line("The transport next to the sample app's " + times.model() + " inference (" + times.source() + "), with JDK "
                + impact.jdkFeature() + "'s in-memory figures.");
        line();
        line("| Component | Latency | % of one sentence | % of a batch of 32 |");
        line("|---|---|---|---|");
        line(row(times.model() + " inference, one sentence", millis(single), "100%", "-"));
        line(row(times.model() + " inference, batch of 32", millis(batch), "-", Double.isNaN(batch) ? NOT_MEASURED : "100%"));
        line(row("Handshake (once per session)", millis(impact.handshakeMillis()),
                percent(RealWorldImpact.percentOf(impact.handshakeMillis(), single)), percent(RealWorldImpact.percentOf(impact.handshakeMillis(), batch))));
        line(row("Secure round trip, 1,536 B (one 384-dim float32 embedding)", millis(impact.roundTripMillis()),
                percent(RealWorldImpact.percentOf(impact.roundTripMillis(), single)), percent(RealWorldImpact.percentOf(impact.roundTripMillis(), batch))));
        line(row("**First request on a new session** (handshake + round trip)", "**" + millis(impact.firstRequestMillis()) + "**",
                "**" + percent(RealWorldImpact.percentOf(impact.firstRequestMillis(), single)) + "**",
                "**" + percent(RealWorldImpact.percentOf(impact.firstRequestMillis(), batch)) + "**"));
        line();
        if (!Double.isNaN(times.secureRoundTripMillis()) || !Double.isNaN(times.restRoundTripMillis())) {
            line(String.format(Locale.ROOT, "End to end, one sentence: %s over the secure channel, %s over REST (difference %s).",
                    millis(times.secureRoundTripMillis()), millis(times.restRoundTripMillis()), millis(impact.endToEndDifferenceMillis())));
            line();
        }
        line("Steady-state requests on an open session pay only the round trip; the handshake is paid once per session.");
        line();
    }

    private void sideBySide() {
        line("## 6. Side by side");
        line();
        line("The reference's published figures next to this run's secure channel, JDK TLS 1.3 (`SSLEngine`s over the same "
                + "duplex) and the plaintext framing. A ratio says how many times faster secure-channel is: above 1 faster, "
                + "below 1 slower. Reference: " + ReferenceFigures.SOURCE + ".");
        line();
        for (JdkFigures jdk : model.jdks()) {
            line("### JDK " + jdk.feature());
            line();
            line("| Metric | Reference (Rust) | secure-channel | vs reference | TLS 1.3 ChaCha20 | vs TLS ChaCha20 | TLS 1.3 AES-128-GCM | vs TLS AES | Plaintext | vs plaintext |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            for (SideBySide.Row row : SideBySide.rows(jdk)) {
                line(row(row.metric(), value(row, row.reference()), value(row, row.secureChannel()), ratio(row.speedVs(row.reference())),
                        value(row, row.tlsChaCha20()), ratio(row.speedVs(row.tlsChaCha20())),
                        value(row, row.tlsAes128Gcm()), ratio(row.speedVs(row.tlsAes128Gcm())),
                        row.metric().startsWith("Handshake") ? "n/a" : value(row, row.plaintext()),
                        row.metric().startsWith("Handshake") ? "n/a" : ratio(row.speedVs(row.plaintext()))));
            }
            line();
            List<TlsRow> sockets = jdk.tls().stream().filter(row -> row.transport().equals(JdkFigures.SOCKET)).toList();
            if (!sockets.isEmpty()) {
                line("JDK TLS 1.3 over loopback `SSLSocket`s (TCP; handshakes include connect and accept), for scale:");
                line();
                line("| Suite | Handshake p50 | Round trip 1,536 B | Round trip 4 KiB | Round trip 384 KiB | One way 1,536 B x 682 | One way 1 MiB x 1 |");
                line("|---|---|---|---|---|---|---|");
                for (TlsRow row : sockets) {
                    line(row(row.suite(), micros(row.handshake()), micros(row.roundTrips().get(1536)), micros(row.roundTrips().get(4096)),
                            micros(row.roundTrips().get(393216)), rate(row.oneWayBytesPerSecond(1536)), rate(row.oneWayBytesPerSecond(1048576))));
                }
                line();
            }
        }
        noJdks();
    }

    private void sameRunReference() {
        SameRunReference sameRun = model.sameRun();
        line("## 7. Reference crate, same machine, same run");
        line();
        if (sameRun.rounds() == 0) {
            line(sameRun.unavailable());
            line();
            return;
        }
        line("The reference harness (confidential-ml-transport, Rust, in-process over `tokio::io::duplex`, mock attestation, "
                + "ChaCha20-Poly1305) and our in-memory benchmarks on this machine (" + model.run().cpuModel() + "), one after the other, "
                + "never at once, in " + sameRun.rounds() + " alternating round(s) (ours, then the reference's)"
                + (sameRun.harness().isEmpty() ? "" : "; harness `" + sameRun.harness() + "`") + ". "
                + "Each round gives the reference's median and our p50; a table's median row is the median across rounds of each side, "
                + "and its ratio the ratio of those medians. Times: our time / the reference's (below 1: we are faster). "
                + "Throughput: our rate / the reference's rate (above 1: we move more bytes per second).");
        line();
        if (sameRun.quick()) {
            line("> **Quick run**: one round each, the harness's `--quick` sample counts and JMH's quick settings; the ratios are indicative only.");
            line();
        }
        if (!sameRun.measured()) {
            line("> " + sameRun.unavailable());
            line();
        }
        line("| Target | Threshold | Measured | Status | From |");
        line("|---|---|---|---|---|");
        for (Target target : sameRun.targets()) {
            line(row(target.description(), target.comparison().symbol() + " " + threshold(target.threshold()) + "x",
                    Double.isNaN(target.measured()) ? NOT_MEASURED : measured(target.measured(), target.unit()) + "x",
                    status(target.status()), target.detail()));
        }
        line();
        for (SameRunReference.Compared figure : sameRun.comparisons()) {
            line("### " + figure.metric());
            line();
            line("Reference: " + figure.referenceMethod() + ". Ours: " + figure.oursMethod() + ", " + figure.algorithm()
                    + ", backend " + figure.backend() + ". Ratio: " + figure.ratioMeaning() + ".");
            line();
            line("| Round | Reference (Rust) | secure-channel | Ratio | cpu.others (reference / ours) |");
            line("|---|---|---|---|---|");
            for (int round = 0; round < figure.reference().length; round++) {
                line(row(String.valueOf(round + 1), comparedValue(figure, figure.reference()[round]), comparedValue(figure, figure.ours()[round]),
                        ratio(figure.ratio(round)), cores(figure.referenceCpuOthers()[round]) + " / " + cores(figure.oursCpuOthers()[round])));
            }
            line(row("**Median**", "**" + comparedValue(figure, figure.referenceMedian()) + "**", "**" + comparedValue(figure, figure.oursMedian()) + "**",
                    "**" + ratio(figure.ratio()) + "**", ""));
            line();
        }
    }

    private static String comparedValue(SameRunReference.Compared figure, double value) {
        return figure.throughput() ? rate(value) : micros(value);
    }

    private static String status(Status status) {
        return switch (status) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case NOT_MEASURED -> NOT_MEASURED;
        };
    }

    private static String cores(double cores) {
        if (Double.isNaN(cores)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, cores > CONTENDED_CPU_OTHERS ? "**%.2f**" : "%.2f", cores);
    }

    private void notes() {
        line("## Notes");
        line();
        line("- Every figure except the reference's published ones (section 6) comes from this run's files: " + String.join(", ", model.inputs()) + ".");
        line("- Sampled figures (in-memory and TLS): p50/p95/p99 are JMH's percentiles over all sampled operations; the 95% CI is "
                + "distribution-free, from the order statistics of the samples. WebSocket figures are averages per iteration "
                + "(`Mode.AverageTime`); their central value is the median of the iteration means.");
        line("- The reference ran on 4 vCPUs of an AMD EPYC 7763 under SEV-SNP; this run's machine is described in section 1. "
                + "Ratios against the reference compare machines as well as implementations.");
        line("- Mock attestation on both sides; real SEV-SNP attestation adds evidence generation and verification to the handshake.");
        line("- Throughput in decimal units: 1 MB/s = 10^6 bytes/s, 1 GB/s = 10^9 bytes/s.");
        line("- Figures name their CPU (section 1): compare figures of different machines only as such.");
        line("- Regenerate with `bench/run-report.sh` (full) or `bench/run-report.sh --quick` (smoke run); add `--reference PATH` "
                + "(the reference harness) for section 7.");
    }

    private void noJdks() {
        if (model.jdks().isEmpty()) {
            line(NOT_MEASURED.substring(0, 1).toUpperCase(Locale.ROOT) + NOT_MEASURED.substring(1) + ": no results.");
            line();
        }
    }

    private static String latencyRow(String label, @Nullable Figure figure) {
        if (figure == null) {
            return row(label, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED);
        }
        return row(label, micros(figure.p50Micros()), micros(figure.p95Micros()), micros(figure.p99Micros()),
                "[" + micros(figure.ciLowMicros()) + " .. " + micros(figure.ciHighMicros()) + "]",
                String.valueOf(figure.samples()), cpuOthers(figure));
    }

    private static String transportLabel(String transport) {
        return transport.equals(JdkFigures.ENGINE) ? "SSLEngines in memory" : "loopback sockets (includes TCP connect)";
    }

    private static String value(SideBySide.Row row, double value) {
        return row.throughput() ? rate(value) : micros(value);
    }

    static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    /** A time given in microseconds: us below 1 ms, else ms. */
    static String micros(double micros) {
        if (Double.isNaN(micros)) {
            return NOT_MEASURED;
        }
        return micros < 1000 ? String.format(Locale.ROOT, "%.1f us", micros) : String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    static String micros(@Nullable Figure figure) {
        return figure == null ? NOT_MEASURED : micros(figure.p50Micros());
    }

    static String millis(double millis) {
        return Double.isNaN(millis) ? NOT_MEASURED : micros(millis * 1000);
    }

    /** Bytes per second as MB/s, or GB/s from 1 GB/s. */
    static String rate(double bytesPerSecond) {
        if (Double.isNaN(bytesPerSecond)) {
            return NOT_MEASURED;
        }
        return bytesPerSecond >= 1e9 ? String.format(Locale.ROOT, "%.2f GB/s", bytesPerSecond / 1e9)
                : String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    /** A percentage: one decimal, two below 1% (a round trip is a small share of an inference). */
    static String percent(double percent) {
        if (Double.isNaN(percent)) {
            return NOT_MEASURED;
        }
        return String.format(Locale.ROOT, Math.abs(percent) < 1 ? "%.2f%%" : "%.1f%%", percent);
    }

    static String ratio(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? NOT_MEASURED : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** A threshold as written in the targets: 150, 2.5, 0.2. */
    static String threshold(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A measured target value: microseconds to 0.1, rates and ratios to 0.01. */
    static String measured(double value, String unit) {
        return String.format(Locale.ROOT, unit.equals("us") ? "%.1f" : "%.2f", value);
    }

    private static String cpuOthers(@Nullable Figure figure) {
        if (figure == null || Double.isNaN(figure.cpuOthers())) {
            return "n/a";
        }
        return String.format(Locale.ROOT, figure.cpuOthers() > CONTENDED_CPU_OTHERS ? "**%.2f**" : "%.2f", figure.cpuOthers());
    }

    /** A payload size as the reference writes it: 1,536 B, 4 KiB, 384 KiB, 1 MiB. */
    static String size(int bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return String.format(Locale.ROOT, "%,d B", bytes);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private void line() {
        out.append('\n');
    }
}
