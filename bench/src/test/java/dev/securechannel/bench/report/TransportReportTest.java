package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.securechannel.bench.report.Targets.Status;
import dev.securechannel.bench.report.Targets.Target;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The report generated from the hand-written JMH fixtures in {@code report-fixtures}: JDK 25
 * in-memory, TLS, WebSocket and pinned results, JDK 17 in-memory results, a run description,
 * inference timings and a capacity section. The fixture values are chosen so every figure below can be checked by
 * hand (for example a secure round trip of 12 us against 8 us plaintext: 50% overhead).
 */
class TransportReportTest {

    private static final String GENERATED_AT = "2026-01-01T00:30:00Z";

    @TempDir
    Path temp;

    @Test
    void reportHasEverySection() throws Exception {
        String markdown = MarkdownReport.render(fullModel());

        assertThat(markdown).contains("# Transport Performance Report", "## Targets (JDK 25, medians)", "## 1. Methodology",
                "## 2. Handshake latency", "## 3. Steady-state round trip", "## 4. Sustained throughput",
                "## 5. Real-world impact", "## 6. Side by side", "## 7. Reference crate, same machine, same run", "## 8. Capacity",
                "## Notes");
        assertThat(markdown.indexOf("## 7. Reference crate")).isLessThan(markdown.indexOf("## 8. Capacity"));
        assertThat(markdown.indexOf("## 8. Capacity")).isLessThan(markdown.indexOf("## Notes"));
        assertThat(markdown).contains("### JDK 25", "### JDK 17");
        assertThat(markdown.indexOf("### JDK 25")).isLessThan(markdown.indexOf("### JDK 17"));
    }

    @Test
    void methodologyNamesTheMachineJdksLibrariesAndSettings() throws Exception {
        String markdown = MarkdownReport.render(fullModel());

        assertThat(markdown).contains("| CPU | Test CPU 9000 |", "| Logical CPUs | 4 |", "| Kernel | 6.1.0-test |", "| Commit | abc1234 |");
        assertThat(markdown).contains("| JDK 25 | 25.0.3, OpenJDK 64-Bit Server VM 25.0.3+9-LTS", "| JDK 17 | 17.0.15");
        assertThat(markdown).contains("| Spring Boot | 4.", "| Servlet stack | Apache Tomcat/", "(stack=servlet); Jetty 12.", "(stack=jetty)",
                "Reactor Netty (Reactor BOM ");
        assertThat(markdown).contains("JDK 25 TlsBenchmark: sample time, 1 fork(s), warm-up 2 x 1 s, measurement 4 x 1 s");
        assertThat(markdown).contains("-Djdk.tls.namedGroups=x25519", "`taskset -c 0`");
    }

    @Test
    void handshakeTableHasPercentilesIntervalAndTlsRows() throws Exception {
        String markdown = MarkdownReport.render(fullModel());

        assertThat(markdown).contains("| secure-channel, keys generated inline (the starter's default), in memory | 140.0 us | 180.0 us | 300.0 us |");
        assertThat(markdown).contains("| JDK TLS 1.3 TLS_AES_128_GCM_SHA256, SSLEngines in memory | 800.0 us |");
        assertThat(markdown).contains("| JDK TLS 1.3 TLS_CHACHA20_POLY1305_SHA256, loopback sockets (includes TCP connect) | 1.50 ms |");
    }

    @Test
    void webSocketHandshakesFollowTheInMemoryOnesWithTheirPlainBaseline() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        String secureNetty = "| secure-channel over loopback WebSocket: new connection, handshake, first 1 B echo "
                + "(Reactor Netty server, Reactor Netty client) | 900.0 us | 1.80 ms | 2.70 ms |";
        String plainNetty = "| plain WebSocket over loopback: new connection, first 1 B echo (Reactor Netty server, Reactor Netty client) "
                + "| 400.0 us | 800.0 us | 1.20 ms |";
        String secureTomcat = "| secure-channel over loopback WebSocket: new connection, handshake, first 1 B echo "
                + "(Tomcat server, Reactor Netty client) | 1.50 ms |";
        assertThat(markdown).contains(secureNetty, plainNetty, secureTomcat);
        // Servers in the report's order, each secure row before its plain baseline, all after the in-memory rows.
        int inMemory = markdown.indexOf("keys generated inline (the starter's default), in memory");
        assertThat(inMemory).isPositive().isLessThan(markdown.indexOf(secureTomcat));
        assertThat(markdown.indexOf(secureTomcat)).isLessThan(markdown.indexOf(secureNetty));
        assertThat(markdown.indexOf(secureNetty)).isLessThan(markdown.indexOf(plainNetty));
        // Measured combinations only, and the in-memory handshake with inline keys (the default) stays the one the targets use.
        assertThat(model.jdk(25).handshakes()).filteredOn(row -> row.key().startsWith("websocket-")).extracting(JdkFigures.HandshakeRow::key)
                .containsExactly("websocket-secure-servlet-netty", "websocket-secure-reactive-netty", "websocket-plain-reactive-netty");
        assertThat(model.jdk(25).primaryHandshake().key()).isEqualTo("fresh-keys");
        assertThat(model.jdk(17).handshakes()).noneMatch(row -> row.key().startsWith("websocket-"));
    }

    @Test
    void pinnedWebSocketRoundTripsAreASeparateTableAndStayOutOfTheTargets() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);
        String json = JsonReport.render(model);

        assertThat(model.jdk(25).pinnedWebSocket()).singleElement().satisfies(row -> {
            assertThat(row.stack()).isEqualTo("reactive");
            assertThat(row.secureOverPlain()).isEqualTo(1.10, within(1e-9));
        });
        int pinnedTable = markdown.indexOf("Loopback WebSocket, 1,536 B round trip, pinned (`taskset -c 0`");
        assertThat(pinnedTable).isGreaterThan(markdown.indexOf("Loopback WebSocket, 1,536 B round trip (median"));
        assertThat(markdown.substring(pinnedTable)).contains("| Reactor Netty | Reactor Netty | 40.0 us | 44.0 us | 1.10x |");
        // The targets keep the unpinned figure of the same pair.
        Target roundTrip = Targets.evaluate(model.jdk(25)).stream()
                .filter(target -> target.id().equals("websocket-round-trip-reactive-netty")).findFirst().orElseThrow();
        double unpinned = model.jdk(25).webSocket().stream()
                .filter(row -> row.stack().equals("reactive") && row.client().equals("netty") && !row.isThroughput())
                .findFirst().orElseThrow().secureOverPlain();
        assertThat(unpinned).isNotCloseTo(1.10, within(1e-3));
        assertThat(roundTrip.measured()).isEqualTo(unpinned, within(1e-9));
        JsonNode pinned = JsonMapper.builder().build().readTree(json).path("jdks").get(0).path("pinnedWebSocket");
        assertThat(pinned).hasSize(1);
        assertThat(pinned.get(0).path("secureOverPlain").asDouble()).isEqualTo(1.10, within(1e-9));
        assertThat(model.jdk(17).pinnedWebSocket()).isEmpty();
    }

    @Test
    void roundTripOverheadIsSecureOverPlaintextLessOne() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        assertThat(model.jdk(25).roundTrip(1536).overheadPercent()).isEqualTo(50.0, within(1e-9));
        assertThat(model.jdk(25).roundTrip(393216).overheadPercent()).isEqualTo(400.0, within(1e-9));
        assertThat(markdown).contains("| 1,536 B | 8.0 us | 12.0 us | 20.0 us | 30.0 us | [11.0 us .. 13.0 us] | 50.0% | **0.30** |");
        assertThat(markdown).contains("| 384 KiB | 100.0 us | 500.0 us |");
    }

    @Test
    void pinnedRoundTripsAreASeparateTableAndTargetsUseUnpinned() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        assertThat(model.jdk(25).pinnedRoundTrips()).hasSize(1);
        assertThat(markdown).contains("Pinned (`taskset -c 0`), a separate run:");
        assertThat(markdown).contains("| 1,536 B | 6.0 us | 10.0 us |");
        assertThat(target(model, "round-trip-1536").measured()).isEqualTo(12.0);
    }

    @Test
    void throughputIsBurstBytesOverTheMedianTimePerBurst() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        JdkFigures.ThroughputRow oneMebibyte = model.jdk(25).throughputOf(1048576);
        assertThat(oneMebibyte.secureBytesPerSecond()).isEqualTo(1048576 / 400e-6, within(1.0));
        assertThat(oneMebibyte.plainBytesPerSecond()).isEqualTo(1048576 / 200e-6, within(1.0));
        assertThat(oneMebibyte.overheadPercent()).isEqualTo(50.0, within(1e-9));
        JdkFigures.ThroughputRow embeddings = model.jdk(25).throughputOf(1536);
        assertThat(embeddings.burst()).isEqualTo(682);
        assertThat(embeddings.secureBytesPerSecond()).isEqualTo(1536 * 682 / 2000e-6, within(1.0));
        assertThat(markdown).contains("| 1 MiB | 1x | 5.24 GB/s | 2.62 GB/s |", "| 1,536 B | 682x | 1.05 GB/s | 523.8 MB/s |");
    }

    @Test
    void webSocketRowsShowSecureOverPlainPerStack() throws Exception {
        String markdown = MarkdownReport.render(fullModel());

        assertThat(markdown).contains("| Reactor Netty | Reactor Netty | 50.0 us | 60.0 us | 1.20x |", "| Tomcat | JDK | 100.0 us | 140.0 us | 1.40x |");
        assertThat(markdown).contains("| Reactor Netty | Reactor Netty | client to server | 2.10 GB/s | 1.50 GB/s | 1.40x |");
        assertThat(markdown).contains("| Tomcat | JDK | server to client | 1.31 GB/s | 1.17 GB/s | 1.13x |");
    }

    @Test
    void jettyRowsAreComputedFromItsResults() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        // The fixture's Jetty iterations: round trip 88/90/92 us plain, 98/99/100 us secure; medians 90 and 99.
        JdkFigures.WebSocketRow roundTrip = webSocketRow(model, "jetty", "roundTrip1536");
        assertThat(roundTrip.server()).isEqualTo("Jetty");
        assertThat(roundTrip.plain().p50Micros()).isEqualTo(90.0);
        assertThat(roundTrip.secureOverPlain()).isEqualTo(99.0 / 90.0, within(1e-12));
        JdkFigures.WebSocketRow upload = webSocketRow(model, "jetty", "upload1MiB");
        assertThat(upload.secureBytesPerSecond()).isEqualTo(1048576 / 720e-6, within(1.0));
        assertThat(markdown).contains("| Jetty | JDK | 90.0 us | 99.0 us | 1.10x |",
                "| Jetty | JDK | client to server | 1.75 GB/s | 1.46 GB/s | 1.20x |",
                "| Jetty | JDK | server to client | 3.50 GB/s | 3.18 GB/s | 1.10x |");
    }

    @Test
    void webSocketStacksAreListedTomcatJettyReactorNetty() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        assertThat(model.jdk(25).webSocket()).extracting(JdkFigures.WebSocketRow::stack).containsSubsequence("servlet", "jetty", "reactive");
        assertThat(markdown.indexOf("| Tomcat | JDK | 100.0 us")).isLessThan(markdown.indexOf("| Jetty | JDK | 90.0 us"));
        assertThat(markdown.indexOf("| Jetty | JDK | 90.0 us")).isLessThan(markdown.indexOf("| Reactor Netty | Reactor Netty | 50.0 us"));
    }

    @Test
    void theCombinationToPickIsTheFastestSecurePairPerTraffic() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        // Secure medians: round trip 60 (Reactor Netty) < 99 (Jetty) < 140 us (Tomcat); upload 700 < 720 < 2,000 us;
        // download 330 (Jetty) < 500 (Reactor Netty) < 900 us (Tomcat).
        assertThat(model.jdk(25).fastestSecureWebSocket("roundTrip1536").stack()).isEqualTo("reactive");
        assertThat(model.jdk(25).fastestSecureWebSocket("upload1MiB").stack()).isEqualTo("reactive");
        assertThat(model.jdk(25).fastestSecureWebSocket("download1MiB").stack()).isEqualTo("jetty");
        assertThat(model.jdk(25).slowestSecureWebSocket("download1MiB").stack()).isEqualTo("servlet");
        assertThat(markdown).contains(
                "| 1,536 B round trips | Reactor Netty server, Reactor Netty client | 60.0 us | 50.0 us | Tomcat server, JDK client | 140.0 us |",
                "| 1 MiB messages client to server | Reactor Netty server, Reactor Netty client | 1.50 GB/s | 2.10 GB/s | Tomcat server, JDK client | 524.3 MB/s |",
                "| 1 MiB messages server to client | Jetty server, JDK client | 3.18 GB/s | 3.50 GB/s | Tomcat server, JDK client | 1.17 GB/s |");
        JsonNode choice = JsonMapper.builder().build().readTree(JsonReport.render(model)).path("jdks").path(0).path("webSocketFastestSecure");
        assertThat(choice.path(2).path("benchmark").asString()).isEqualTo("download1MiB");
        assertThat(choice.path(2).path("stack").asString()).isEqualTo("jetty");
        assertThat(choice.path(2).path("server").asString()).isEqualTo("Jetty");
        assertThat(choice.path(2).path("secureBytesPerSecond").doubleValue()).isEqualTo(1048576 / 330e-6, within(1.0));
    }

    @Test
    void targetsAreMetOrMissedFromTheJdk25Figures() throws Exception {
        Map<String, Status> statuses = fullModel().targets().stream().collect(Collectors.toMap(Target::id, Target::status));

        assertThat(statuses).containsEntry("handshake-p50", Status.MET) // 140 us with pooled keys
                .containsEntry("round-trip-1536", Status.MET) // 12 us
                .containsEntry("one-way-1mib", Status.MET) // 2.62 GB/s
                .containsEntry("websocket-round-trip-reactive-netty", Status.MET) // 1.2x
                .containsEntry("websocket-round-trip-servlet-jdk", Status.MISSED) // 1.4x
                .containsEntry("websocket-upload-reactive-netty", Status.MET) // 1.4x
                .containsEntry("websocket-upload-servlet-jdk", Status.MISSED) // 2.0x
                .containsEntry("websocket-download-servlet-jdk", Status.MET) // 1.125x
                .containsEntry("websocket-round-trip-jetty-jdk", Status.MET) // 1.1x
                .containsEntry("websocket-upload-jetty-jdk", Status.MET) // 1.2x
                .containsEntry("websocket-download-jetty-jdk", Status.MET) // 1.1x
                .containsEntry("websocket-upload-fastest", Status.MET) // 1.50 GB/s, reactive (Jetty: 1.46 GB/s)
                .containsEntry("handshake-vs-tls", Status.MET); // 140 / 800 (AES, the faster suite)
        assertThat(target(fullModel(), "handshake-vs-tls").measured()).isEqualTo(140.0 / 800.0, within(1e-12));
        assertThat(target(fullModel(), "websocket-upload-jetty-jdk").measured()).isEqualTo(720.0 / 600.0, within(1e-12));
        assertThat(target(fullModel(), "websocket-upload-fastest").detail()).isEqualTo("Reactor Netty server, Reactor Netty client");
        assertThat(MarkdownReport.render(fullModel())).contains("| In-memory handshake p50, mock attestation | < 150 us | 140.0 us | met |",
                "| Loopback WebSocket 1,536 B round trip, secure over plain (Tomcat server, JDK client) | <= 1.3 x | 1.40 x | **missed** |",
                "| Loopback WebSocket 1 MiB one way server to client, secure over plain (Jetty server, JDK client) | <= 1.5 x | 1.10 x | met |");
    }

    @Test
    void sideBySideRatiosSayHowManyTimesFasterSecureChannelIs() throws Exception {
        List<SideBySide.Row> rows = SideBySide.rows(fullModel().jdk(25));

        SideBySide.Row handshake = rows.get(0);
        assertThat(handshake.speedVs(handshake.reference())).isEqualTo(168.2 / 140, within(1e-9));
        assertThat(handshake.speedVs(handshake.tlsChaCha20())).isEqualTo(1000.0 / 140, within(1e-9));
        SideBySide.Row roundTrip = rows.stream().filter(row -> row.metric().startsWith("Round trip 1,536 B")).findFirst().orElseThrow();
        assertThat(roundTrip.speedVs(roundTrip.reference())).isEqualTo(123.8 / 12, within(1e-9));
        assertThat(roundTrip.speedVs(roundTrip.tlsChaCha20())).isEqualTo(2.5, within(1e-9));
        assertThat(roundTrip.speedVs(roundTrip.plaintext())).isEqualTo(8.0 / 12, within(1e-9));
        assertThat(roundTrip.tlsAes128Gcm()).isNaN();
        SideBySide.Row oneMebibyte = rows.stream().filter(row -> row.metric().startsWith("One way 1 MiB")).findFirst().orElseThrow();
        assertThat(oneMebibyte.speedVs(oneMebibyte.reference())).isEqualTo(1048576 / 400e-6 / 519.3e6, within(1e-9));
        assertThat(oneMebibyte.speedVs(oneMebibyte.tlsChaCha20())).isEqualTo(2.0, within(1e-9));

        assertThat(MarkdownReport.render(fullModel()))
                .contains("| Round trip 1,536 B p50 | 123.8 us | 12.0 us | 10.32x | 30.0 us | 2.50x | not measured | not measured | 8.0 us | 0.67x |");
    }

    @Test
    void realWorldImpactIsAShareOfInferenceTime() throws Exception {
        ReportModel model = fullModel();

        assertThat(model.impact().handshakeMillis()).isEqualTo(0.14, within(1e-12));
        assertThat(model.impact().roundTripMillis()).isEqualTo(0.012, within(1e-12));
        assertThat(MarkdownReport.render(model)).contains("| all-MiniLM-L6-v2 inference, one sentence | 10.00 ms | 100% | - |",
                "| Handshake (once per session) | 140.0 us | 1.4% | 0.14% |",
                "| Secure round trip, 1,536 B (one 384-dim float32 embedding) | 12.0 us | 0.12% | 0.01% |",
                "| **First request on a new session** (handshake + round trip) | **152.0 us** | **1.5%** | **0.15%** |",
                "End to end, one sentence: 12.50 ms over the secure channel, 12.00 ms over REST (difference 500.0 us).");
    }

    @Test
    void capacitySectionShowsTheCapacityRunsTablesUnderTheReportsNumberedHeading() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);
        String section = markdown.substring(markdown.indexOf("## 8. Capacity"), markdown.indexOf("## Notes"));

        assertThat(section).startsWith("## 8. Capacity\n\nWhat one server instance holds and admits on each stack, "
                + "as `bench/run-capacity.sh` measured it (`capacity.md`):\n\n2 CPUs (amd64), JDK 25.0.3");
        // The file's own heading gives way to the report's; its sub-sections stay one level below, in order.
        assertThat(markdown).doesNotContain("## Capacity\n");
        assertThat(section).containsSubsequence("### Idle sessions (server heap 1 GiB, mock attestation)",
                "| reactive | 10,000 of 10,000 | 200 of 200 | 10.0 KiB | 0.50 KiB | 30 → 128 MiB | 101,785 |",
                "### Handshakes per second (8 clients connecting, one echo, close; 20 s each)",
                "| reactive | SEV-SNP report, cached collateral | 450 | 16.00 ms | 35.00 ms | 2.20 ms | 0 |",
                "### Past the limits",
                "| reactive | refused: SecureChannelException: closed 1013 (max 50) | 50 of 50 |");
        assertThat(model.inputs()).contains("capacity.md");
        assertThat(markdown).contains("from this run's files: ", ", capacity.md");
        JsonNode capacity = JsonMapper.builder().build().readTree(JsonReport.render(model)).path("capacity");
        assertThat(capacity.path("file").asString()).isEqualTo("capacity.md");
        assertThat(capacity.path("markdown").asString()).startsWith("2 CPUs (amd64)")
                .contains("### Handshakes per second", "| servlet | mock attestation | 1,000 |").doesNotContain("## Capacity");
    }

    @Test
    void capacityHeadingsAboveTheSubSectionLevelAreLoweredToIt() throws Exception {
        Path file = temp.resolve("capacity.md");
        Files.writeString(file, "\n## Capacity\r\n\n# Stray title\n\n## Another section\n\n| a | b |\n|---|---|\n"
                + "```\n## inside a code block\n```\n#### Deeper\n");

        CapacitySection capacity = CapacitySection.read(file);

        assertThat(capacity.body()).isEqualTo("### Stray title\n\n### Another section\n\n| a | b |\n|---|---|\n"
                + "```\n## inside a code block\n```\n#### Deeper");
    }

    @Test
    void jsonParsesBackWithTheSameNumbers() throws Exception {
        ReportModel model = fullModel();
        JsonNode json = JsonMapper.builder().build().readTree(JsonReport.render(model));

        JsonNode jdk25 = json.path("jdks").path(0);
        assertThat(jdk25.path("feature").intValue()).isEqualTo(25);
        assertThat(json.path("jdks").path(1).path("feature").intValue()).isEqualTo(17);
        JsonNode roundTrip = jdk25.path("roundTrips").path(0);
        assertThat(roundTrip.path("sizeBytes").intValue()).isEqualTo(1536);
        assertThat(roundTrip.path("secure").path("p50Micros").doubleValue()).isEqualTo(12.0);
        assertThat(roundTrip.path("secure").path("ciLowMicros").doubleValue()).isEqualTo(11.0);
        assertThat(roundTrip.path("secure").path("cpuOthers").doubleValue()).isEqualTo(0.30);
        assertThat(roundTrip.path("overheadPercent").doubleValue()).isEqualTo(model.jdk(25).roundTrip(1536).overheadPercent());
        JsonNode oneMebibyte = jdk25.path("throughput").path(1);
        assertThat(oneMebibyte.path("sizeBytes").intValue()).isEqualTo(1048576);
        assertThat(oneMebibyte.path("secureBytesPerSecond").doubleValue()).isEqualTo(model.jdk(25).throughputOf(1048576).secureBytesPerSecond());
        assertThat(jdk25.path("handshakes").path(0).path("latency").path("p50Micros").doubleValue()).isEqualTo(140.0);
        assertThat(jdk25.path("handshakes").path(1).path("latency").path("p95Micros").doubleValue()).isEqualTo(260.0);
        assertThat(jdk25.path("webSocket").path(0).path("secureOverPlain").doubleValue())
                .isEqualTo(model.jdk(25).webSocket().get(0).secureOverPlain());
        JsonNode jettyRoundTrip = null;
        for (JsonNode row : jdk25.path("webSocket")) {
            if (row.path("stack").asString().equals("jetty") && row.path("benchmark").asString().equals("roundTrip1536")) {
                jettyRoundTrip = row;
            }
        }
        assertThat(jettyRoundTrip).isNotNull();
        assertThat(jettyRoundTrip.path("server").asString()).isEqualTo("Jetty");
        assertThat(jettyRoundTrip.path("secure").path("p50Micros").doubleValue()).isEqualTo(99.0);
        assertThat(jettyRoundTrip.path("secureOverPlain").doubleValue()).isEqualTo(99.0 / 90.0, within(1e-12));
        assertThat(jdk25.path("sideBySide").path(1).path("speedVsTlsChaCha20").doubleValue()).isEqualTo(2.5, within(1e-12));
        assertThat(json.path("reference").path("handshakeP50Micros").doubleValue()).isEqualTo(ReferenceFigures.HANDSHAKE_P50_MICROS);
        assertThat(json.path("realWorldImpact").path("handshakeMillis").doubleValue()).isEqualTo(model.impact().handshakeMillis());
        assertThat(json.path("machine").path("cpuModel").asString()).isEqualTo("Test CPU 9000");

        JsonNode targets = json.path("targets");
        assertThat(targets.size()).isEqualTo(model.targets().size());
        for (int i = 0; i < model.targets().size(); i++) {
            Target target = model.targets().get(i);
            assertThat(targets.path(i).path("id").asString()).isEqualTo(target.id());
            assertThat(targets.path(i).path("status").asString()).isEqualTo(target.status().name());
            assertThat(targets.path(i).path("measured").doubleValue()).isEqualTo(target.measured());
        }
    }

    @Test
    void withOneServerAndClientThereIsNoCombinationToPick() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("one-pair"));
        JsonMapper json = JsonMapper.builder().build();
        ArrayNode reactiveOnly = json.createArrayNode();
        for (JsonNode result : json.readTree(Files.readString(fixtures().resolve("jmh-25-websocket.json")))) {
            if (result.path("params").path("stack").asString().equals("reactive")) {
                reactiveOnly.add(result);
            }
        }
        Files.writeString(dir.resolve("jmh-25-websocket.json"), json.writeValueAsString(reactiveOnly));

        String markdown = MarkdownReport.render(TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString()), GENERATED_AT));

        assertThat(markdown).contains("| Reactor Netty | Reactor Netty | 50.0 us | 60.0 us | 1.20x |");
        assertThat(markdown).doesNotContain("Which WebSocket combination to pick");
    }

    @Test
    void bothFilesAreWritten() throws Exception {
        List<Path> written = TransportReport.write(fullModel(), temp.resolve("out"));

        assertThat(written).extracting(path -> path.getFileName().toString())
                .containsExactly(TransportReport.MARKDOWN_FILE, TransportReport.JSON_FILE);
        assertThat(Files.readString(written.get(0))).startsWith("# Transport Performance Report");
        assertThat(JsonMapper.builder().build().readTree(Files.readString(written.get(1))).path("title").asString())
                .isEqualTo("Transport Performance Report");
    }

    @Test
    void withoutAnyInputEverySectionSaysNotMeasured() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", empty.toString(),
                "--inference", empty.resolve("absent.json").toString(), "--capacity", empty.resolve("capacity.md").toString(),
                "--out", temp.toString()), GENERATED_AT);
        String markdown = MarkdownReport.render(model);

        assertThat(model.jdks()).isEmpty();
        assertThat(model.targets()).allSatisfy(target -> assertThat(target.status()).isEqualTo(Status.NOT_MEASURED));
        assertThat(markdown).contains("No benchmark results were found", "## 6. Side by side", "Not measured: no results.");
        assertThat(markdown).contains("## 5. Real-world impact\n\nNot measured: no inference timings were given");
        assertThat(markdown).contains("## 8. Capacity\n\nNot measured: run `bench/run-capacity.sh` (about 6 minutes, idle machine).\n\n## Notes");
        assertThat(model.warnings()).isEmpty();
        JsonNode json = JsonMapper.builder().build().readTree(JsonReport.render(model));
        assertThat(json.path("realWorldImpact").path("measured").booleanValue()).isFalse();
        assertThat(json.path("capacity").isNull()).isTrue();
        assertThat(json.path("jdks").size()).isZero();
        assertThat(json.path("targets").path(0).path("measured").isNull()).isTrue();
    }

    @Test
    void missingWebSocketAndInferenceInputsAreReportedAsNotMeasured() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("partial"));
        Files.copy(fixtures().resolve("jmh-25-inmemory.json"), dir.resolve("jmh-25-inmemory.json"));
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString(),
                "--inference", dir.resolve("absent.json").toString()), GENERATED_AT);
        String markdown = MarkdownReport.render(model);

        assertThat(model.impact()).isNull();
        assertThat(markdown).contains("Not measured: no inference timings were given");
        assertThat(target(model, "websocket-round-trip").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(target(model, "handshake-vs-tls").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(target(model, "round-trip-1536").status()).isEqualTo(Status.MET);
        assertThat(markdown).contains("| Round trip 4 KiB p50 | 139.5 us | not measured |");
    }

    @Test
    void unreadableInputsAreSkippedWithAWarning() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("broken"));
        Files.copy(fixtures().resolve("jmh-25-inmemory.json"), dir.resolve("jmh-25-inmemory.json"));
        Files.writeString(dir.resolve("jmh-25-truncated.json"), "[{\"benchmark\": ");
        Files.writeString(dir.resolve("jmh-25-other.json"), "[{\"name\": \"not a JMH result\"}]");
        Files.writeString(dir.resolve("minilm.json"), "{\"batch32MillisP50\": 3}");
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString(),
                "--inference", dir.resolve("minilm.json").toString()), GENERATED_AT);

        assertThat(model.warnings()).hasSize(3);
        assertThat(model.warnings()).anySatisfy(warning -> assertThat(warning).contains("jmh-25-truncated.json"));
        assertThat(model.warnings()).anySatisfy(warning -> assertThat(warning).contains("jmh-25-other.json"));
        assertThat(model.warnings()).anySatisfy(warning -> assertThat(warning).contains("singleSentenceMillisP50"));
        assertThat(model.jdk(25).roundTrip(1536).secure().p50Micros()).isEqualTo(12.0);
        assertThat(MarkdownReport.render(model)).contains("> Skipped input: jmh-25-truncated.json", "Not measured: ");
    }

    @Test
    void unreadableCapacityFilesAreSkippedWithAWarning() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("capacity"));
        Files.copy(fixtures().resolve("jmh-25-inmemory.json"), dir.resolve("jmh-25-inmemory.json"));
        Files.writeString(dir.resolve("empty.md"), " \n");
        Files.writeString(dir.resolve("other.md"), "# Soak\n\n| series | rise |\n|---|---|\n");
        Files.writeString(dir.resolve("no-tables.md"), "## Capacity\n\nThe run stopped before its first table.\n");
        Files.write(dir.resolve("binary.md"), new byte[] {'#', '#', ' ', (byte) 0xC3, (byte) 0x28});
        Files.createDirectory(dir.resolve("directory.md"));
        Map<String, String> problems = Map.of("empty.md", "is empty", "other.md", "does not start with \"## Capacity\"",
                "no-tables.md", "holds no capacity tables", "binary.md", "is not UTF-8 text", "directory.md", "cannot be read");

        for (Map.Entry<String, String> problem : problems.entrySet()) {
            Path file = dir.resolve(problem.getKey());
            ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString(),
                    "--inference", dir.resolve("absent.json").toString(), "--capacity", file.toString()), GENERATED_AT);
            String markdown = MarkdownReport.render(model);

            assertThat(model.warnings()).as(file.toString()).singleElement().asString().startsWith(file.toString()).contains(problem.getValue());
            assertThat(model.capacity()).as(file.toString()).isNull();
            assertThat(model.inputs()).as(file.toString()).doesNotContain(problem.getKey());
            assertThat(markdown).as(file.toString()).contains("> Skipped input: " + file,
                    "## 8. Capacity\n\nNot measured: run `bench/run-capacity.sh`");
            assertThat(model.jdk(25).roundTrip(1536).secure().p50Micros()).as(file.toString()).isEqualTo(12.0);
        }
    }

    @Test
    void capacityInputDefaultsToWhereTheCapacityRunWritesIt() {
        assertThat(TransportReport.Options.parse().capacityFile()).isEqualTo(Path.of("bench/target/capacity/capacity.md"));
        assertThat(TransportReport.Options.parse("--capacity", "elsewhere/capacity.md").capacityFile())
                .isEqualTo(Path.of("elsewhere/capacity.md"));
    }

    @Test
    void quickRunsAreFlaggedAsIndicative() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("quick"));
        Files.copy(fixtures().resolve("jmh-25-inmemory.json"), dir.resolve("jmh-25-inmemory.json"));
        Files.writeString(dir.resolve("run.json"), "{\"profile\": \"quick\", \"command\": \"bench/run-report.sh --quick\"}");

        String markdown = MarkdownReport.render(TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString()), GENERATED_AT));

        assertThat(markdown).contains("Run: `bench/run-report.sh --quick`, quick profile", "> **Quick run**");
    }

    private static ReportModel full;

    /** Every fixture; built once, since each test only reads it. */
    private static ReportModel fullModel() throws IOException, URISyntaxException {
        if (full == null) {
            Path fixtures = fixtures();
            full = TransportReport.build(TransportReport.Options.parse("--results-dir", fixtures.toString(),
                    "--inference", fixtures.resolve("minilm-inference.json").toString(),
                    "--capacity", fixtures.resolve("capacity.md").toString()), GENERATED_AT);
        }
        return full;
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(TransportReportTest.class.getResource("/report-fixtures").toURI());
    }

    private static JdkFigures.WebSocketRow webSocketRow(ReportModel model, String stack, String benchmark) {
        return model.jdk(25).webSocket().stream().filter(row -> row.stack().equals(stack) && row.benchmark().equals(benchmark))
                .findFirst().orElseThrow(() -> new AssertionError("no " + stack + " " + benchmark + " row"));
    }

    private static Target target(ReportModel model, String id) {
        return model.targets().stream().filter(target -> target.id().equals(id)).findFirst().orElseThrow();
    }
}
