package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import dev.securechannel.bench.report.JdkFigures.ThroughputRow;
import dev.securechannel.bench.report.JdkFigures.TlsRow;
import dev.securechannel.bench.report.JdkFigures.WebSocketRow;
import dev.securechannel.bench.report.Targets.Comparison;
import dev.securechannel.bench.report.Targets.Status;
import dev.securechannel.bench.report.Targets.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void handshakeTargetIsStrictlyBelow150Microseconds() {
        assertThat(status(run().handshake(149.9), "handshake-p50")).isEqualTo(Status.MET);
        assertThat(status(run().handshake(150.0), "handshake-p50")).isEqualTo(Status.MISSED);
    }

    @Test
    void handshakeTargetUsesInlineKeysTheStartersDefaultWhenMeasured() {
        Target target = find(Targets.evaluate(run().handshake(140).freshKeysHandshake(400).build()), "handshake-p50");

        assertThat(target.measured()).isEqualTo(400);
        assertThat(target.detail()).contains("inline");
    }

    @Test
    void roundTripTargetIsStrictlyBelow15Microseconds() {
        assertThat(status(run().roundTrip1536(14.9), "round-trip-1536")).isEqualTo(Status.MET);
        assertThat(status(run().roundTrip1536(15.0), "round-trip-1536")).isEqualTo(Status.MISSED);
    }

    @Test
    void oneMebibyteTargetNeedsAtLeast2Point5GigabytesPerSecond() {
        // 1,048,576 B in 419 us is 2.503 GB/s; in 420 us, 2.497 GB/s.
        assertThat(status(run().oneWay1MiB(419), "one-way-1mib")).isEqualTo(Status.MET);
        assertThat(status(run().oneWay1MiB(420), "one-way-1mib")).isEqualTo(Status.MISSED);
    }

    @Test
    void theSustainedOneMebibyteTargetUsesTheStreamingRunWhenMeasured() {
        // Bursts timed one at a time miss (1 GB/s), the streamed run meets it (2.6 GB/s): streaming decides.
        assertThat(status(run().oneWay1MiB(1000).streaming1MiB(400), "one-way-1mib")).isEqualTo(Status.MET);
        assertThat(status(run().oneWay1MiB(400).streaming1MiB(1000), "one-way-1mib")).isEqualTo(Status.MISSED);
    }

    @Test
    void webSocketRoundTripMayTakeAtMost1Point3TimesPlain() {
        assertThat(status(run().webSocket("roundTrip1536", 100, 130), "websocket-round-trip-reactive-netty")).isEqualTo(Status.MET);
        assertThat(status(run().webSocket("roundTrip1536", 100, 131), "websocket-round-trip-reactive-netty")).isEqualTo(Status.MISSED);
    }

    @Test
    void webSocketOneWayMayTakeAtMost1Point5TimesPlainInEachDirection() {
        assertThat(status(run().webSocket("upload1MiB", 100, 150), "websocket-upload-reactive-netty")).isEqualTo(Status.MET);
        assertThat(status(run().webSocket("upload1MiB", 100, 151), "websocket-upload-reactive-netty")).isEqualTo(Status.MISSED);
        assertThat(status(run().webSocket("download1MiB", 100, 150), "websocket-download-reactive-netty")).isEqualTo(Status.MET);
        assertThat(status(run().webSocket("download1MiB", 100, 151), "websocket-download-reactive-netty")).isEqualTo(Status.MISSED);
    }

    @Test
    void webSocketUploadOnTheFastestStackNeedsAtLeastOneGigabytePerSecond() {
        // 1 MiB per 1,000 us is 1.049 GB/s; per 1,100 us, 0.953 GB/s.
        assertThat(status(run().webSocket("upload1MiB", 500, 1000), "websocket-upload-fastest")).isEqualTo(Status.MET);
        assertThat(status(run().webSocket("upload1MiB", 500, 1100), "websocket-upload-fastest")).isEqualTo(Status.MISSED);
    }

    @Test
    void fastestUploadIsTheBestOfAllStacks() {
        List<Target> targets = Targets.evaluate(run()
                .webSocket("servlet", "jdk", "upload1MiB", 500, 2000)
                .webSocket("reactive", "netty", "upload1MiB", 500, 1000).build());

        Target fastest = find(targets, "websocket-upload-fastest");
        assertThat(fastest.status()).isEqualTo(Status.MET);
        assertThat(fastest.detail()).isEqualTo("Reactor Netty server, Reactor Netty client");
    }

    @Test
    void jettyGetsItsOwnTargetsAndCanBeTheFastestUpload() {
        List<Target> targets = Targets.evaluate(run()
                .webSocket("servlet", "jdk", "upload1MiB", 500, 2000)
                .webSocket("jetty", "jdk", "roundTrip1536", 100, 131)
                .webSocket("jetty", "jdk", "upload1MiB", 600, 900)
                .webSocket("reactive", "netty", "upload1MiB", 500, 1000).build());

        Target roundTrip = find(targets, "websocket-round-trip-jetty-jdk");
        assertThat(roundTrip.status()).isEqualTo(Status.MISSED);
        assertThat(roundTrip.measured()).isEqualTo(1.31, within(1e-12));
        assertThat(roundTrip.description()).contains("(Jetty server, JDK client)");
        assertThat(find(targets, "websocket-upload-jetty-jdk").status()).isEqualTo(Status.MET); // 1.5x
        assertThat(find(targets, "websocket-upload-fastest").detail()).isEqualTo("Jetty server, JDK client"); // 900 us < 1,000 us
    }

    @Test
    void handshakeMayTakeAtMostOneFifthOfTheFasterTlsHandshake() {
        assertThat(status(run().handshake(100).tlsHandshake(500).tlsHandshake2(900), "handshake-vs-tls")).isEqualTo(Status.MET);
        assertThat(status(run().handshake(100).tlsHandshake(499), "handshake-vs-tls")).isEqualTo(Status.MISSED);
    }

    @Test
    void comparisonsAtTheThresholdItself() {
        assertThat(target(Comparison.BELOW, 15, 15).status()).isEqualTo(Status.MISSED);
        assertThat(target(Comparison.AT_MOST, 1.3, 1.3).status()).isEqualTo(Status.MET);
        assertThat(target(Comparison.AT_LEAST, 2.5, 2.5).status()).isEqualTo(Status.MET);
        assertThat(target(Comparison.AT_LEAST, 2.5, Double.NaN).status()).isEqualTo(Status.NOT_MEASURED);
    }

    @Test
    void withoutJdk25EveryTargetIsNotMeasured() {
        List<Target> targets = Targets.evaluate(null);

        assertThat(targets).isNotEmpty();
        assertThat(targets).allSatisfy(target -> assertThat(target.status()).isEqualTo(Status.NOT_MEASURED));
    }

    @Test
    void targetsWhoseFiguresAreMissingAreNotMeasured() {
        List<Target> targets = Targets.evaluate(run().roundTrip1536(10).build());

        assertThat(find(targets, "round-trip-1536").status()).isEqualTo(Status.MET);
        assertThat(find(targets, "handshake-p50").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(find(targets, "one-way-1mib").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(find(targets, "websocket-round-trip").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(find(targets, "websocket-upload-fastest").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(find(targets, "handshake-vs-tls").status()).isEqualTo(Status.NOT_MEASURED);
    }

    private static Target target(Comparison comparison, double threshold, double measured) {
        return new Target("t", "t", comparison, threshold, "x", measured, "");
    }

    private static Status status(FiguresBuilder builder, String id) {
        return find(Targets.evaluate(builder.build()), id).status();
    }

    private static Target find(List<Target> targets, String id) {
        return targets.stream().filter(target -> target.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no target " + id + " in " + targets));
    }

    private static FiguresBuilder run() {
        return new FiguresBuilder();
    }

    private static Figure micros(double p50) {
        return new Figure(p50, p50, p50, p50, p50, 100, true, 0);
    }

    /** JDK 25 figures with only what a test sets. */
    private static final class FiguresBuilder {
        private Figure freshKeys;
        private Figure pooledKeys;
        private final List<RoundTripRow> roundTrips = new ArrayList<>();
        private final List<ThroughputRow> throughput = new ArrayList<>();
        private final List<ThroughputRow> streaming = new ArrayList<>();
        private final List<TlsRow> tls = new ArrayList<>();
        private final List<WebSocketRow> webSocket = new ArrayList<>();

        FiguresBuilder handshake(double p50) {
            pooledKeys = micros(p50);
            return this;
        }

        FiguresBuilder freshKeysHandshake(double p50) {
            freshKeys = micros(p50);
            return this;
        }

        FiguresBuilder roundTrip1536(double p50) {
            roundTrips.add(new RoundTripRow(1536, micros(p50 / 2), micros(p50)));
            return this;
        }

        FiguresBuilder oneWay1MiB(double microsPerBurst) {
            throughput.add(new ThroughputRow(1048576, 1, micros(microsPerBurst / 2), micros(microsPerBurst)));
            return this;
        }

        FiguresBuilder streaming1MiB(double microsPerBurst) {
            streaming.add(new ThroughputRow(1048576, 1, micros(microsPerBurst / 2), micros(microsPerBurst)));
            return this;
        }

        FiguresBuilder tlsHandshake(double p50) {
            tls.add(new TlsRow(JdkFigures.CHACHA20, JdkFigures.ENGINE, micros(p50), Map.of(), Map.of()));
            return this;
        }

        FiguresBuilder tlsHandshake2(double p50) {
            tls.add(new TlsRow(JdkFigures.AES_128_GCM, JdkFigures.ENGINE, micros(p50), Map.of(), Map.of()));
            return this;
        }

        FiguresBuilder webSocket(String benchmark, double plain, double secure) {
            return webSocket("reactive", "netty", benchmark, plain, secure);
        }

        FiguresBuilder webSocket(String stack, String client, String benchmark, double plain, double secure) {
            webSocket.add(new WebSocketRow(stack, client, benchmark, micros(plain), micros(secure)));
            return this;
        }

        JdkFigures build() {
            return new JdkFigures(25, "25.0.3", "vm", "java",
                    List.of(new HandshakeRow("fresh-keys", "keys inline", freshKeys),
                            new HandshakeRow("pooled-keys", "keys from the pool", pooledKeys)),
                    roundTrips, List.of(), throughput, tls, webSocket, Map.of(), Set.of(), streaming, List.of());
        }
    }
}
