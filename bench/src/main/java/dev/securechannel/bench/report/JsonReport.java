package dev.securechannel.bench.report;

import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import dev.securechannel.bench.report.JdkFigures.ThroughputRow;
import dev.securechannel.bench.report.JdkFigures.TlsRow;
import dev.securechannel.bench.report.JdkFigures.WebSocketRow;
import dev.securechannel.bench.endpoint.Bursts;
import dev.securechannel.bench.report.Targets.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a {@link ReportModel} as JSON, with the same numbers as the Markdown report in
 * machine-readable units: times in microseconds ({@code ...Micros}) or milliseconds
 * ({@code ...Millis}), throughput in bytes per second, percentages as percent. A figure the run
 * did not measure is {@code null}. The capacity section stays Markdown, as
 * {@code bench/run-capacity.sh} wrote it: {@code "capacity": {"file": ..., "markdown": ...}}, or
 * {@code null} when it was not measured.
 */
public final class JsonReport {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport() {
    }

    /** The report as pretty-printed JSON. */
    public static String render(ReportModel model) {
        ObjectNode root = NODES.objectNode();
        root.put("title", "Transport Performance Report");
        root.put("generatedAt", model.generatedAt());
        root.set("inputs", strings(model.inputs()));
        root.set("warnings", strings(model.warnings()));

        RunDescription run = model.run();
        ObjectNode runNode = root.putObject("run");
        runNode.put("command", run.command());
        runNode.put("profile", run.profile());
        runNode.put("startedAt", run.startedAt());
        runNode.put("finishedAt", run.finishedAt());
        number(runNode, "durationSeconds", run.durationSeconds());
        runNode.put("gitCommit", run.gitCommit());
        runNode.put("pinnedCpus", run.pinnedCpus());
        runNode.put("notes", run.notes());
        ObjectNode machine = root.putObject("machine");
        machine.put("cpuModel", run.cpuModel());
        machine.put("cores", run.cores());
        machine.put("memory", run.memory());
        machine.put("kernel", run.kernel());
        Platform platform = model.platform();
        if (platform.cpuFlagsKnown()) {
            machine.set("cpuExtensions", strings(platform.cpuExtensions()));
            machine.put("avx512", platform.hasAvx512());
        } else {
            machine.putNull("cpuExtensions");
            machine.putNull("avx512");
        }
        machine.put("cpuExtensionsSummary", platform.cpuExtensionsSummary());
        ArrayNode runtimes = machine.putArray("jdks");
        for (Platform.JdkInfo jdk : platform.jdks()) {
            ObjectNode entry = runtimes.addObject();
            entry.put("feature", jdk.feature());
            entry.put("version", jdk.version());
            entry.put("vendor", jdk.vendor());
            entry.put("cryptoBackend", jdk.cryptoBackend());
            ObjectNode intrinsics = entry.putObject("intrinsics");
            jdk.intrinsics().forEach((flag, value) -> {
                if (value == null) {
                    intrinsics.putNull(flag);
                } else {
                    intrinsics.put(flag, value);
                }
            });
        }
        machine.put("cryptoBackend", model.cryptoBackend());
        ObjectNode versions = root.putObject("versions");
        model.versions().forEach(versions::put);
        versions.put("JMH", model.jmhVersion());

        ObjectNode reference = root.putObject("reference");
        reference.put("source", ReferenceFigures.SOURCE);
        reference.put("handshakeP50Micros", ReferenceFigures.HANDSHAKE_P50_MICROS);
        ObjectNode referenceRoundTrips = reference.putObject("roundTripP50Micros");
        new TreeMap<>(ReferenceFigures.ROUND_TRIP_P50_MICROS).forEach((size, micros) -> referenceRoundTrips.put(String.valueOf(size), micros));
        ObjectNode referenceOneWay = reference.putObject("oneWayBytesPerSecond");
        new TreeMap<>(ReferenceFigures.ONE_WAY_BYTES_PER_SECOND).forEach((size, rate) -> referenceOneWay.put(String.valueOf(size), rate));

        root.set("referenceSameRun", sameRun(model.sameRun()));

        ArrayNode jdks = root.putArray("jdks");
        for (JdkFigures jdk : model.jdks()) {
            jdks.add(jdk(jdk));
        }

        ObjectNode impact = root.putObject("realWorldImpact");
        RealWorldImpact realWorld = model.impact();
        impact.put("measured", realWorld != null);
        if (realWorld == null) {
            impact.put("reason", model.impactUnavailable());
        } else {
            impact.put("jdk", realWorld.jdkFeature());
            impact.put("model", realWorld.times().model());
            impact.put("source", realWorld.times().source());
            number(impact, "singleSentenceMillis", realWorld.times().singleSentenceMillis());
            number(impact, "batch32Millis", realWorld.times().batch32Millis());
            number(impact, "handshakeMillis", realWorld.handshakeMillis());
            number(impact, "roundTripMillis", realWorld.roundTripMillis());
            number(impact, "firstRequestMillis", realWorld.firstRequestMillis());
            number(impact, "handshakePercentOfSingleSentence", RealWorldImpact.percentOf(realWorld.handshakeMillis(), realWorld.times().singleSentenceMillis()));
            number(impact, "roundTripPercentOfSingleSentence", RealWorldImpact.percentOf(realWorld.roundTripMillis(), realWorld.times().singleSentenceMillis()));
            number(impact, "handshakePercentOfBatch32", RealWorldImpact.percentOf(realWorld.handshakeMillis(), realWorld.times().batch32Millis()));
            number(impact, "roundTripPercentOfBatch32", RealWorldImpact.percentOf(realWorld.roundTripMillis(), realWorld.times().batch32Millis()));
            number(impact, "secureEndToEndMillis", realWorld.times().secureRoundTripMillis());
            number(impact, "restEndToEndMillis", realWorld.times().restRoundTripMillis());
        }

        CapacitySection capacity = model.capacity();
        if (capacity == null) {
            root.putNull("capacity");
        } else {
            ObjectNode capacityNode = root.putObject("capacity");
            capacityNode.put("file", capacity.fileName());
            capacityNode.put("markdown", capacity.body());
        }

        ArrayNode targets = root.putArray("targets");
        for (Target target : model.targets()) {
            ObjectNode node = targets.addObject();
            node.put("id", target.id());
            node.put("description", target.description());
            node.put("comparison", target.comparison().symbol());
            node.put("threshold", target.threshold());
            node.put("unit", target.unit());
            number(node, "measured", target.measured());
            node.put("status", target.status().name());
            node.put("detail", target.detail());
        }
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static ObjectNode jdk(JdkFigures jdk) {
        ObjectNode node = NODES.objectNode();
        node.put("feature", jdk.feature());
        node.put("jdkVersion", jdk.jdkVersion());
        node.put("vm", jdk.vm());
        node.put("jvm", jdk.jvm());
        ObjectNode settings = node.putObject("settings");
        for (Map.Entry<String, Set<String>> entry : jdk.settings().entrySet()) {
            settings.set(entry.getKey(), strings(List.copyOf(entry.getValue())));
        }
        node.set("jvmArgs", strings(List.copyOf(jdk.jvmArgs())));

        ArrayNode handshakes = node.putArray("handshakes");
        for (HandshakeRow row : jdk.handshakes()) {
            ObjectNode handshake = handshakes.addObject();
            handshake.put("key", row.key());
            handshake.put("label", row.label());
            handshake.set("latency", figure(row.latency()));
        }
        node.set("roundTrips", roundTrips(jdk.roundTrips()));
        node.set("pinnedRoundTrips", roundTrips(jdk.pinnedRoundTrips()));

        node.set("throughput", throughput(jdk.throughput()));
        node.set("streaming", throughput(jdk.streaming()));

        ArrayNode tls = node.putArray("tls");
        for (TlsRow row : jdk.tls()) {
            ObjectNode suite = tls.addObject();
            suite.put("suite", row.suite());
            suite.put("transport", row.transport());
            suite.set("handshake", figure(row.handshake()));
            ObjectNode roundTrips = suite.putObject("roundTrips");
            row.roundTrips().forEach((size, figure) -> roundTrips.set(String.valueOf(size), figure(figure)));
            ObjectNode oneWay = suite.putObject("oneWay");
            row.oneWay().forEach((size, figure) -> {
                ObjectNode entry = oneWay.putObject(String.valueOf(size));
                entry.put("burst", Bursts.messagesPerBurst(size));
                entry.set("perBurst", figure(figure));
                number(entry, "bytesPerSecond", row.oneWayBytesPerSecond(size));
            });
        }

        node.set("webSocket", webSocketRows(jdk.webSocket()));
        node.set("pinnedWebSocket", webSocketRows(jdk.pinnedWebSocket()));

        // Per kind of traffic, the stack and client with the shortest secure time: the combination to pick.
        ArrayNode choice = node.putArray("webSocketFastestSecure");
        for (String benchmark : JdkFigures.WEB_SOCKET_BENCHMARKS) {
            WebSocketRow fastest = jdk.fastestSecureWebSocket(benchmark);
            if (fastest != null) {
                ObjectNode entry = choice.addObject();
                entry.put("benchmark", benchmark);
                entry.put("stack", fastest.stack());
                entry.put("client", fastest.client());
                entry.put("server", fastest.server());
                entry.put("clientLibrary", fastest.clientLibrary());
                number(entry, "secureMicros", fastest.secure() == null ? Double.NaN : fastest.secure().p50Micros());
                number(entry, "secureBytesPerSecond", fastest.secureBytesPerSecond());
            }
        }

        ArrayNode sideBySide = node.putArray("sideBySide");
        for (SideBySide.Row row : SideBySide.rows(jdk)) {
            ObjectNode entry = sideBySide.addObject();
            entry.put("metric", row.metric());
            entry.put("unit", row.throughput() ? "bytes/s" : "us");
            number(entry, "reference", row.reference());
            number(entry, "secureChannel", row.secureChannel());
            number(entry, "tlsChaCha20", row.tlsChaCha20());
            number(entry, "tlsAes128Gcm", row.tlsAes128Gcm());
            number(entry, "plaintext", row.plaintext());
            number(entry, "speedVsReference", row.speedVs(row.reference()));
            number(entry, "speedVsTlsChaCha20", row.speedVs(row.tlsChaCha20()));
            number(entry, "speedVsTlsAes128Gcm", row.speedVs(row.tlsAes128Gcm()));
            number(entry, "speedVsPlaintext", row.speedVs(row.plaintext()));
        }
        return node;
    }

    private static ObjectNode sameRun(SameRunReference sameRun) {
        ObjectNode node = NODES.objectNode();
        node.put("measured", sameRun.measured());
        if (!sameRun.unavailable().isEmpty()) {
            node.put("reason", sameRun.unavailable());
        }
        node.put("harness", sameRun.harness());
        node.put("quick", sameRun.quick());
        node.put("rounds", sameRun.rounds());
        node.put("ratio", "ours over the reference's, of the medians across rounds: time ratio for times (below 1: faster), "
                + "rate ratio for throughput (above 1: faster)");
        node.set("inputs", strings(sameRun.inputs()));
        ArrayNode figures = node.putArray("figures");
        for (SameRunReference.Compared figure : sameRun.comparisons()) {
            ObjectNode entry = figures.addObject();
            entry.put("id", figure.id());
            entry.put("metric", figure.metric());
            entry.put("unit", figure.throughput() ? "bytes/s" : "us");
            entry.put("ratioMeaning", figure.ratioMeaning());
            entry.put("backend", figure.backend());
            entry.put("algorithm", figure.algorithm());
            entry.put("referenceMethod", figure.referenceMethod());
            entry.put("oursMethod", figure.oursMethod());
            entry.set("referenceRounds", numbers(figure.reference()));
            entry.set("oursRounds", numbers(figure.ours()));
            entry.set("referenceCpuOthers", numbers(figure.referenceCpuOthers()));
            entry.set("oursCpuOthers", numbers(figure.oursCpuOthers()));
            number(entry, "referenceMedian", figure.referenceMedian());
            number(entry, "oursMedian", figure.oursMedian());
            number(entry, "ratio", figure.ratio());
        }
        ArrayNode targets = node.putArray("targets");
        for (Target target : sameRun.targets()) {
            ObjectNode entry = targets.addObject();
            entry.put("id", target.id());
            entry.put("description", target.description());
            entry.put("comparison", target.comparison().symbol());
            entry.put("threshold", target.threshold());
            entry.put("unit", target.unit());
            number(entry, "measured", target.measured());
            entry.put("status", target.status().name());
            entry.put("detail", target.detail());
        }
        return node;
    }

    private static ArrayNode numbers(double[] values) {
        ArrayNode array = NODES.arrayNode();
        for (double value : values) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                array.addNull();
            } else {
                array.add(value);
            }
        }
        return array;
    }

    private static ArrayNode webSocketRows(List<WebSocketRow> rows) {
        ArrayNode array = NODES.arrayNode();
        for (WebSocketRow row : rows) {
            ObjectNode entry = array.addObject();
            entry.put("stack", row.stack());
            entry.put("client", row.client());
            entry.put("server", row.server());
            entry.put("clientLibrary", row.clientLibrary());
            entry.put("benchmark", row.benchmark());
            entry.set("plain", figure(row.plain()));
            entry.set("secure", figure(row.secure()));
            number(entry, "secureOverPlain", row.secureOverPlain());
            number(entry, "plainBytesPerSecond", row.plainBytesPerSecond());
            number(entry, "secureBytesPerSecond", row.secureBytesPerSecond());
        }
        return array;
    }

    private static ArrayNode roundTrips(List<RoundTripRow> rows) {
        ArrayNode array = NODES.arrayNode();
        for (RoundTripRow row : rows) {
            ObjectNode entry = array.addObject();
            entry.put("sizeBytes", row.size());
            entry.set("plain", figure(row.plain()));
            entry.set("secure", figure(row.secure()));
            number(entry, "overheadPercent", row.overheadPercent());
        }
        return array;
    }

    private static tools.jackson.databind.JsonNode figure(@Nullable Figure figure) {
        if (figure == null) {
            return NODES.nullNode();
        }
        ObjectNode node = NODES.objectNode();
        number(node, "p50Micros", figure.p50Micros());
        number(node, "p95Micros", figure.p95Micros());
        number(node, "p99Micros", figure.p99Micros());
        number(node, "ciLowMicros", figure.ciLowMicros());
        number(node, "ciHighMicros", figure.ciHighMicros());
        node.put("interval", figure.sampled() ? "95% CI of the median" : "99.9% CI of the mean (JMH)");
        node.put("samples", figure.samples());
        number(node, "cpuOthers", figure.cpuOthers());
        return node;
    }

    /** NaN and infinities are not JSON: they become null. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode throughput(List<ThroughputRow> rows) {
        ArrayNode throughput = NODES.arrayNode();
        for (ThroughputRow row : rows) {
            ObjectNode burst = throughput.addObject();
            burst.put("sizeBytes", row.size());
            burst.put("burst", row.burst());
            burst.put("burstBytes", row.burstBytes());
            burst.set("plainPerBurst", figure(row.plain()));
            burst.set("securePerBurst", figure(row.secure()));
            number(burst, "plainBytesPerSecond", row.plainBytesPerSecond());
            number(burst, "secureBytesPerSecond", row.secureBytesPerSecond());
            if (row.secure() != null) {
                double[] interval = row.secure().bytesPerSecondInterval(row.burstBytes());
                number(burst, "secureBytesPerSecondCiLow", interval[0]);
                number(burst, "secureBytesPerSecondCiHigh", interval[1]);
            }
            number(burst, "overheadPercent", row.overheadPercent());
        }
        return throughput;
    }
}
