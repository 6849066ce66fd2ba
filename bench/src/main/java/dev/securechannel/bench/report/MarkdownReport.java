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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ReportModel} as the Markdown Transport Performance Report, in the reference's
 * layout: targets, then 1 Methodology, 2 Handshake latency, 3 Steady-state round trip,
 * 4 Sustained throughput, 5 Real-world impact, 6 Side by side, 7 Reference crate, same machine,
 * same run, 8 Capacity (the tables of {@code bench/run-capacity.sh}, as {@link CapacitySection}
 * read them), and notes. Each JDK gets its own tables. Figures the run did not measure read
 * "not measured".
 *
 * <p>The words are in {@value #TEMPLATE}, a {@link ReportTemplate} next to this class; this
 * class computes the tables and figures and fills them in.
 */
public final class MarkdownReport {

    /** What a table cell says for a figure the run lacks. */
    static final String NOT_MEASURED = "not measured";
    /** cpu.others above this (cores) means another process competed for the CPUs during the measurement. */
    static final double CONTENDED_CPU_OTHERS = 0.15;
    /** The template resource, relative to this class. */
    static final String TEMPLATE = "transport-performance-report.md.template";

    private final ReportModel model;
    private final ReportTemplate template;

    private MarkdownReport(ReportModel model, ReportTemplate template) {
        this.model = model;
        this.template = template;
    }

    /** The report as Markdown. */
    public static String render(ReportModel model) {
        return render(model, DefaultTemplate.INSTANCE);
    }

    /** The report as Markdown, with the words of {@code template}. */
    static String render(ReportModel model, ReportTemplate template) {
        return new MarkdownReport(model, template).report() + "\n";
    }

    /** The template, read once, when the first report is rendered. */
    private static final class DefaultTemplate {
        static final ReportTemplate INSTANCE = ReportTemplate.load(TEMPLATE);
    }

    private String report() {
        RunDescription run = model.run();
        ReportTemplate.Fill report = template.fragment("report")
                .with("generatedAt", model.generatedAt())
                .with("inputCount", String.valueOf(model.inputs().size()))
                .with("command", run.command())
                .with("profile", run.profile().equals("unknown") ? "" : fill("run-profile", "profile", run.profile()))
                .with("duration", Double.isNaN(run.durationSeconds()) ? ""
                        : fill("run-duration", "minutes", String.format(Locale.ROOT, "%.0f", run.durationSeconds() / 60)))
                .with("quickRun", run.quick() ? fill("quick-run") : "")
                .with("noResults", model.jdks().isEmpty() ? fill("no-results") : "")
                .with("skippedInputs", lines(model.warnings(), warning -> fill("skipped-input", "warning", warning)));
        targets(report);
        methodology(report);
        return report
                .with("handshakes", perJdk(this::handshakes))
                .with("roundTrips", perJdk(this::roundTrips))
                .with("throughput", perJdk(this::throughput))
                .with("impact", impact())
                .with("referenceSource", ReferenceFigures.SOURCE)
                .with("sideBySide", perJdk(this::sideBySide))
                .with("sameRun", sameRunReference())
                .with("capacity", capacity())
                .with("inputs", String.join(", ", model.inputs()))
                .render();
    }

    private void targets(ReportTemplate.Fill report) {
        List<Target> targets = model.targets();
        long met = targets.stream().filter(target -> target.status() == Status.MET).count();
        long notMeasured = targets.stream().filter(target -> target.status() == Status.NOT_MEASURED).count();
        report.with("targetJdk", String.valueOf(Targets.TARGET_JDK))
                .with("targetRows", lines(targets, target -> row(target.description(),
                        target.comparison().symbol() + " " + threshold(target.threshold()) + " " + target.unit(),
                        Double.isNaN(target.measured()) ? NOT_MEASURED : measured(target.measured(), target.unit()) + " " + target.unit(),
                        status(target.status()), target.detail())))
                .with("met", String.valueOf(met))
                .with("measuredTargets", String.valueOf(targets.size() - notMeasured))
                .with("unmeasuredTargets", String.valueOf(notMeasured));
    }

    private void methodology(ReportTemplate.Fill report) {
        RunDescription run = model.run();
        Platform platform = model.platform();
        String jdkRows = lines(model.jdks(), jdk -> template.fragment("methodology-jdk").with("feature", String.valueOf(jdk.feature()))
                .with("version", jdk.jdkVersion()).with("vm", jdk.vm()).with("jvm", jdk.jvm()).render());
        String intrinsicsRows = lines(platform.jdks(), jdk -> template.fragment("methodology-jdk-intrinsics")
                .with("feature", String.valueOf(jdk.feature())).with("version", jdk.version()).with("vendor", jdk.vendor())
                .with("intrinsics", jdk.intrinsicsSummary()).render());
        boolean pinned = model.jdks().stream().anyMatch(jdk -> !jdk.pinnedRoundTrips().isEmpty());
        report.with("cpuModel", run.cpuModel())
                .with("cpuExtensions", platform.cpuExtensionsSummary())
                .with("cores", String.valueOf(run.cores()))
                .with("memory", run.memory())
                .with("kernel", run.kernel())
                .with("jdkRows", jdkRows.isEmpty() ? fill("methodology-no-jdk") : jdkRows)
                .with("intrinsicsRows", intrinsicsRows.isEmpty() ? fill("methodology-no-intrinsics") : intrinsicsRows)
                .with("cryptoBackend", model.cryptoBackend())
                .with("autoBackendRows", lines(platform.jdks(), jdk -> template.fragment("methodology-jdk-backend")
                        .with("feature", String.valueOf(jdk.feature())).with("backend", jdk.cryptoBackend()).render()))
                .with("versionRows", lines(List.copyOf(model.versions().entrySet()), version -> row(version.getKey(), version.getValue())))
                .with("tlsSuites", tlsSuitesMeasured())
                .with("jmhVersion", model.jmhVersion())
                .with("jmhSettings", settingsSummary())
                .with("forkJvmFlags", forkJvmFlags())
                .with("pinning", pinned ? fill("pinning-pinned", "cpus", run.pinnedCpus().isEmpty() ? "?" : run.pinnedCpus())
                        : fill("pinning-unpinned"))
                .with("contendedCpuOthers", String.valueOf(CONTENDED_CPU_OTHERS))
                .with("commit", run.gitCommit())
                .with("startedAt", run.startedAt())
                .with("finishedAt", run.finishedAt())
                .with("runNotes", run.notes().isEmpty() ? "" : fill("run-notes", "notes", run.notes()));
    }

    private String tlsSuitesMeasured() {
        Set<String> suites = new TreeSet<>();
        model.jdks().forEach(jdk -> jdk.tls().forEach(row -> suites.add(row.suite())));
        return suites.isEmpty() ? fill("tls-suites-none") : "(" + String.join(", ", suites) + ")";
    }

    private String settingsSummary() {
        List<String> parts = new ArrayList<>();
        for (JdkFigures jdk : model.jdks()) {
            for (Map.Entry<String, Set<String>> entry : jdk.settings().entrySet()) {
                parts.add("JDK " + jdk.feature() + " " + entry.getKey() + ": " + String.join(" / ", entry.getValue()));
            }
        }
        return parts.isEmpty() ? fill("jmh-settings-none") : String.join("; ", parts);
    }

    private String forkJvmFlags() {
        Set<String> jvmArgs = new TreeSet<>();
        model.jdks().forEach(jdk -> jvmArgs.addAll(jdk.jvmArgs()));
        return jvmArgs.isEmpty() ? fill("fork-flags-none") : jvmArgs.stream().map(args -> "`" + args + "`").collect(Collectors.joining("; "));
    }

    /** One section's tables for each JDK, newest first; with no results at all, says so. */
    private String perJdk(Function<JdkFigures, String> section) {
        if (model.jdks().isEmpty()) {
            return fill("no-jdk-results");
        }
        return model.jdks().stream().map(section).collect(Collectors.joining("\n\n"));
    }

    private String handshakes(JdkFigures jdk) {
        List<String> rows = new ArrayList<>();
        for (HandshakeRow handshake : jdk.handshakes()) {
            rows.add(latencyRow(handshake.label(), handshake.latency()));
        }
        for (TlsRow tls : jdk.tls()) {
            rows.add(latencyRow("JDK TLS 1.3 " + tls.suite() + ", " + transportLabel(tls.transport()), tls.handshake()));
        }
        return template.fragment("handshake-table").with("jdk", String.valueOf(jdk.feature()))
                .with("rows", String.join("\n", rows)).render();
    }

    private String roundTrips(JdkFigures jdk) {
        String cpus = model.run().pinnedCpus();
        return template.fragment("round-trips-of-jdk")
                .with("jdk", String.valueOf(jdk.feature()))
                .with("inMemory", jdk.roundTrips().isEmpty() ? fill("round-trips-not-measured") : roundTripTable(jdk.roundTrips()))
                .with("pinned", jdk.pinnedRoundTrips().isEmpty() ? ""
                        : template.fragment("round-trips-pinned").with("cpus", cpus).with("table", roundTripTable(jdk.pinnedRoundTrips())).render())
                .with("webSocket", webSocketRoundTrips(template.fragment("websocket-round-trips"), jdk.webSocket()))
                .with("pinnedWebSocket", webSocketRoundTrips(template.fragment("websocket-round-trips-pinned").with("cpus", cpus),
                        jdk.pinnedWebSocket()))
                .render();
    }

    private String roundTripTable(List<RoundTripRow> rows) {
        return fill("round-trip-table", "rows", lines(rows, row -> {
            Figure secure = row.secure();
            return row(size(row.size()), micros(row.plain()), micros(secure),
                    secure == null ? NOT_MEASURED : micros(secure.p95Micros()),
                    secure == null ? NOT_MEASURED : micros(secure.p99Micros()),
                    secure == null ? NOT_MEASURED : "[" + micros(secure.ciLowMicros()) + " .. " + micros(secure.ciHighMicros()) + "]",
                    percent(row.overheadPercent()), cpuOthers(secure));
        }));
    }

    /** The WebSocket round trips among {@code rows} under {@code title}, or nothing when there are none. */
    private String webSocketRoundTrips(ReportTemplate.Fill title, List<WebSocketRow> rows) {
        List<WebSocketRow> roundTrips = rows.stream().filter(row -> !row.isThroughput()).toList();
        if (roundTrips.isEmpty()) {
            return "";
        }
        return title.with("table", fill("websocket-round-trip-table", "rows", lines(roundTrips, row ->
                row(row.server(), row.clientLibrary(), micros(row.plain()), micros(row.secure()), ratio(row.secureOverPlain())))))
                .render();
    }

    private String throughput(JdkFigures jdk) {
        List<WebSocketRow> webSocket = jdk.webSocket().stream().filter(WebSocketRow::isThroughput).toList();
        return template.fragment("throughput-of-jdk")
                .with("jdk", String.valueOf(jdk.feature()))
                .with("bursts", jdk.throughput().isEmpty() ? fill("bursts-not-measured") : burstTable(jdk.throughput()))
                .with("streaming", jdk.streaming().isEmpty() ? "" : fill("streaming", "rows", lines(jdk.streaming(), row ->
                        row(size(row.size()), row.burst() + "x", rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()),
                                percent(row.overheadPercent()), cpuOthers(row.secure())))))
                .with("webSocket", webSocket.isEmpty() ? "" : fill("websocket-throughput", "rows", lines(webSocket, row ->
                        row(row.server(), row.clientLibrary(), direction(row),
                                rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()), ratio(row.secureOverPlain())))))
                .with("webSocketChoice", webSocketChoice(jdk))
                .render();
    }

    private String burstTable(List<ThroughputRow> rows) {
        return fill("burst-table", "rows", lines(rows, row -> {
            Figure secure = row.secure();
            String interval = NOT_MEASURED;
            if (secure != null) {
                double[] bounds = secure.bytesPerSecondInterval(row.burstBytes());
                interval = "[" + rate(bounds[0]) + " .. " + rate(bounds[1]) + "]";
            }
            return row(size(row.size()), row.burst() + "x", rate(row.plainBytesPerSecond()), rate(row.secureBytesPerSecond()),
                    interval, percent(row.overheadPercent()), cpuOthers(secure));
        }));
    }

    /**
     * Per kind of traffic, the server and client that carried it fastest over the secure channel,
     * and the slowest for scale; only when the run measured more than one server and client.
     */
    private String webSocketChoice(JdkFigures jdk) {
        long pairs = jdk.webSocket().stream().filter(row -> row.secure() != null).map(WebSocketRow::pair).distinct().count();
        if (pairs < 2) {
            return "";
        }
        List<String> rows = new ArrayList<>();
        for (String benchmark : JdkFigures.WEB_SOCKET_BENCHMARKS) {
            WebSocketRow fastest = jdk.fastestSecureWebSocket(benchmark);
            WebSocketRow slowest = jdk.slowestSecureWebSocket(benchmark);
            if (fastest == null || slowest == null) {
                continue;
            }
            boolean alone = fastest == slowest;
            rows.add(row(traffic(benchmark), fastest.pair(), webSocketValue(fastest, fastest.secure()), webSocketValue(fastest, fastest.plain()),
                    alone ? "-" : slowest.pair(), alone ? "-" : webSocketValue(slowest, slowest.secure())));
        }
        return fill("websocket-choice", "rows", String.join("\n", rows));
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

    private String impact() {
        RealWorldImpact impact = model.impact();
        if (impact == null) {
            return model.impactUnavailable();
        }
        InferenceTimes times = impact.times();
        double sentence = times.singleSentenceMillis();
        double batch = times.batch32Millis();
        return template.fragment("impact")
                .with("model", times.model())
                .with("source", times.source())
                .with("jdk", String.valueOf(impact.jdkFeature()))
                .with("sentence", millis(sentence))
                .with("batch", millis(batch))
                .with("batchShare", Double.isNaN(batch) ? NOT_MEASURED : "100%")
                .with("handshake", millis(impact.handshakeMillis()))
                .with("handshakeOfSentence", percent(RealWorldImpact.percentOf(impact.handshakeMillis(), sentence)))
                .with("handshakeOfBatch", percent(RealWorldImpact.percentOf(impact.handshakeMillis(), batch)))
                .with("roundTrip", millis(impact.roundTripMillis()))
                .with("roundTripOfSentence", percent(RealWorldImpact.percentOf(impact.roundTripMillis(), sentence)))
                .with("roundTripOfBatch", percent(RealWorldImpact.percentOf(impact.roundTripMillis(), batch)))
                .with("firstRequest", millis(impact.firstRequestMillis()))
                .with("firstRequestOfSentence", percent(RealWorldImpact.percentOf(impact.firstRequestMillis(), sentence)))
                .with("firstRequestOfBatch", percent(RealWorldImpact.percentOf(impact.firstRequestMillis(), batch)))
                .with("endToEnd", Double.isNaN(times.secureRoundTripMillis()) && Double.isNaN(times.restRoundTripMillis()) ? ""
                        : template.fragment("impact-end-to-end").with("secure", millis(times.secureRoundTripMillis()))
                        .with("rest", millis(times.restRoundTripMillis())).with("difference", millis(impact.endToEndDifferenceMillis())).render())
                .render();
    }

    private String sideBySide(JdkFigures jdk) {
        List<TlsRow> sockets = jdk.tls().stream().filter(row -> row.transport().equals(JdkFigures.SOCKET)).toList();
        return template.fragment("side-by-side-of-jdk")
                .with("jdk", String.valueOf(jdk.feature()))
                .with("rows", lines(SideBySide.rows(jdk), row -> row(row.metric(), value(row, row.reference()), value(row, row.secureChannel()),
                        ratio(row.speedVs(row.reference())),
                        value(row, row.tlsChaCha20()), ratio(row.speedVs(row.tlsChaCha20())),
                        value(row, row.tlsAes128Gcm()), ratio(row.speedVs(row.tlsAes128Gcm())),
                        row.metric().startsWith("Handshake") ? "n/a" : value(row, row.plaintext()),
                        row.metric().startsWith("Handshake") ? "n/a" : ratio(row.speedVs(row.plaintext())))))
                .with("tlsSockets", sockets.isEmpty() ? "" : fill("tls-sockets", "rows", lines(sockets, row ->
                        row(row.suite(), micros(row.handshake()), micros(row.roundTrips().get(1536)),
                                micros(row.roundTrips().get(4096)), micros(row.roundTrips().get(393216)),
                                rate(row.oneWayBytesPerSecond(1536)), rate(row.oneWayBytesPerSecond(1048576))))))
                .render();
    }

    private String sameRunReference() {
        SameRunReference sameRun = model.sameRun();
        if (sameRun.rounds() == 0) {
            return sameRun.unavailable();
        }
        return template.fragment("same-run")
                .with("cpuModel", model.run().cpuModel())
                .with("rounds", String.valueOf(sameRun.rounds()))
                .with("harness", sameRun.harness().isEmpty() ? "" : fill("same-run-harness", "harness", sameRun.harness()))
                .with("quickRun", sameRun.quick() ? fill("same-run-quick") : "")
                .with("notMeasured", sameRun.measured() ? "" : fill("same-run-not-measured", "reason", sameRun.unavailable()))
                .with("targetRows", lines(sameRun.targets(), target -> row(target.description(),
                        target.comparison().symbol() + " " + threshold(target.threshold()) + "x",
                        Double.isNaN(target.measured()) ? NOT_MEASURED : measured(target.measured(), target.unit()) + "x",
                        status(target.status()), target.detail())))
                .with("figures", sameRun.comparisons().stream().map(this::comparedFigure).collect(Collectors.joining("\n\n")))
                .render();
    }

    private String capacity() {
        CapacitySection capacity = model.capacity();
        if (capacity == null) {
            return fill("capacity-not-measured");
        }
        return template.fragment("capacity").with("file", capacity.fileName()).with("tables", capacity.body()).render();
    }

    private String comparedFigure(SameRunReference.Compared figure) {
        List<String> rows = new ArrayList<>();
        for (int round = 0; round < figure.reference().length; round++) {
            rows.add(row(String.valueOf(round + 1), comparedValue(figure, figure.reference()[round]), comparedValue(figure, figure.ours()[round]),
                    ratio(figure.ratio(round)), cores(figure.referenceCpuOthers()[round]) + " / " + cores(figure.oursCpuOthers()[round])));
        }
        rows.add(row("**Median**", "**" + comparedValue(figure, figure.referenceMedian()) + "**",
                "**" + comparedValue(figure, figure.oursMedian()) + "**", "**" + ratio(figure.ratio()) + "**", ""));
        return template.fragment("same-run-figure")
                .with("metric", figure.metric())
                .with("referenceMethod", figure.referenceMethod())
                .with("oursMethod", figure.oursMethod())
                .with("algorithm", figure.algorithm())
                .with("backend", figure.backend())
                .with("ratioMeaning", figure.ratioMeaning())
                .with("rows", String.join("\n", rows))
                .render();
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

    /** A fragment without placeholders. */
    private String fill(String fragment) {
        return template.fragment(fragment).render();
    }

    /** A fragment with one placeholder. */
    private String fill(String fragment, String name, String value) {
        return template.fragment(fragment).with(name, value).render();
    }

    /** One line per item, as {@code line} renders it. */
    private static <T> String lines(List<T> items, Function<T, String> line) {
        return items.stream().map(line).collect(Collectors.joining("\n"));
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
}
