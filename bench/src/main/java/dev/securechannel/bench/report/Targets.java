package dev.securechannel.bench.report;

import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import dev.securechannel.bench.report.JdkFigures.ThroughputRow;
import dev.securechannel.bench.report.JdkFigures.TlsRow;
import dev.securechannel.bench.report.JdkFigures.WebSocketRow;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The performance targets of issue 7, checked against the JDK 25 figures (medians): met,
 * missed, or not measured when the run lacks the figure.
 */
public final class Targets {

    /** The JDK the targets are set for. */
    public static final int TARGET_JDK = 25;

    /** In-memory handshake p50 with mock attestation, microseconds (strictly below). */
    public static final double HANDSHAKE_P50_MICROS = 150;
    /** In-memory 1,536 B round trip p50, microseconds (strictly below). */
    public static final double ROUND_TRIP_1536_MICROS = 15;
    /** In-memory 1 MiB one-way throughput, GB/s (at least). */
    public static final double ONE_WAY_1MIB_GIGABYTES_PER_SECOND = 2.5;
    /** Loopback WebSocket 1,536 B round trip, secure time over plain time on the same stack (at most). */
    public static final double WEB_SOCKET_ROUND_TRIP_RATIO = 1.3;
    /** Loopback WebSocket 1 MiB one way, secure time over plain time on the same stack (at most). */
    public static final double WEB_SOCKET_ONE_WAY_RATIO = 1.5;
    /** Loopback WebSocket 1 MiB client to server on the fastest stack, GB/s (at least). */
    public static final double WEB_SOCKET_UPLOAD_GIGABYTES_PER_SECOND = 1.0;
    /** Handshake p50 over a JDK TLS 1.3 full handshake's p50 in the same run (at most). */
    public static final double HANDSHAKE_OVER_TLS_RATIO = 0.2;

    private static final int MIB = 1024 * 1024;

    private Targets() {
    }

    /** How a measured value is compared with its threshold. */
    public enum Comparison {
        /** Strictly below. */
        BELOW("<"),
        /** Below or equal. */
        AT_MOST("<="),
        /** Above or equal. */
        AT_LEAST(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** The comparison as written in the report. */
        public String symbol() {
            return symbol;
        }

        boolean holds(double measured, double threshold) {
            return switch (this) {
                case BELOW -> measured < threshold;
                case AT_MOST -> measured <= threshold;
                case AT_LEAST -> measured >= threshold;
            };
        }
    }

    /** The outcome of one target. */
    public enum Status {
        /** The measured value satisfies the threshold. */
        MET,
        /** It does not. */
        MISSED,
        /** The run did not measure it. */
        NOT_MEASURED
    }

    /**
     * One target and its outcome.
     *
     * @param id          a stable identifier (for the JSON)
     * @param description what is measured
     * @param comparison  how it must compare with the threshold
     * @param threshold   the threshold, in {@code unit}
     * @param unit        us, GB/s or x (a ratio)
     * @param measured    the measured value in {@code unit}, NaN when not measured
     * @param detail      where the value comes from
     */
    public record Target(String id, String description, Comparison comparison, double threshold, String unit,
                         double measured, String detail) {

        /** Met, missed, or not measured. */
        public Status status() {
            if (Double.isNaN(measured)) {
                return Status.NOT_MEASURED;
            }
            return comparison.holds(measured, threshold) ? Status.MET : Status.MISSED;
        }
    }

    /** Checks every target against the JDK 25 figures (null: none were measured). */
    public static List<Target> evaluate(@Nullable JdkFigures jdk25) {
        List<Target> targets = new ArrayList<>();
        HandshakeRow handshake = jdk25 == null ? null : jdk25.primaryHandshake();
        double handshakeMicros = handshake == null || handshake.latency() == null ? Double.NaN : handshake.latency().p50Micros();
        targets.add(new Target("handshake-p50", "In-memory handshake p50, mock attestation", Comparison.BELOW,
                HANDSHAKE_P50_MICROS, "us", handshakeMicros, handshake == null ? "no handshake result" : handshake.label()));

        RoundTripRow roundTrip = jdk25 == null ? null : jdk25.roundTrip(1536);
        targets.add(new Target("round-trip-1536", "In-memory 1,536 B round trip p50", Comparison.BELOW,
                ROUND_TRIP_1536_MICROS, "us", roundTrip == null || roundTrip.secure() == null ? Double.NaN : roundTrip.secure().p50Micros(),
                "secure-channel over InMemoryDuplex, unpinned"));

        // Sustained throughput: the streaming run (the next burst sent while the previous drains)
        // when measured, else bursts timed one at a time.
        ThroughputRow streaming = jdk25 == null ? null : jdk25.streamingOf(MIB);
        ThroughputRow oneWay = streaming != null && streaming.secure() != null ? streaming : jdk25 == null ? null : jdk25.throughputOf(MIB);
        targets.add(new Target("one-way-1mib", "In-memory 1 MiB one-way throughput (median)", Comparison.AT_LEAST,
                ONE_WAY_1MIB_GIGABYTES_PER_SECOND, "GB/s", oneWay == null ? Double.NaN : oneWay.secureBytesPerSecond() / 1e9,
                oneWay == streaming ? "1 MiB messages streamed (next burst sent while the previous drains), secure-channel over InMemoryDuplex"
                        : "1 MiB x 1 bursts, secure-channel over InMemoryDuplex"));

        addWebSocketTargets(targets, jdk25 == null ? List.of() : jdk25.webSocket());

        TlsRow fasterTls = null;
        if (jdk25 != null) {
            for (TlsRow row : jdk25.tls()) {
                if (row.transport().equals(JdkFigures.ENGINE) && row.handshake() != null
                        && (fasterTls == null || row.handshake().p50Micros() < fasterTls.handshake().p50Micros())) {
                    fasterTls = row;
                }
            }
        }
        targets.add(new Target("handshake-vs-tls", "Handshake p50 over a JDK TLS 1.3 full handshake p50, same run", Comparison.AT_MOST,
                HANDSHAKE_OVER_TLS_RATIO, "x", fasterTls == null ? Double.NaN : handshakeMicros / fasterTls.handshake().p50Micros(),
                fasterTls == null ? "no TLS handshake result"
                        : String.format("%.1f us over %.1f us (%s, SSLEngines over the same duplex; the faster suite)",
                        handshakeMicros, fasterTls.handshake().p50Micros(), fasterTls.suite())));
        return targets;
    }

    private static void addWebSocketTargets(List<Target> targets, List<WebSocketRow> rows) {
        boolean anyRoundTrip = false;
        boolean anyOneWay = false;
        WebSocketRow fastestUpload = null;
        for (WebSocketRow row : rows) {
            String where = row.pair();
            // The ids keep the benchmark's parameter values (servlet is Tomcat) so they stay stable across runs.
            String id = row.stack() + "-" + row.client();
            if (!row.isThroughput()) {
                anyRoundTrip = true;
                targets.add(new Target("websocket-round-trip-" + id, "Loopback WebSocket 1,536 B round trip, secure over plain (" + where + ")",
                        Comparison.AT_MOST, WEB_SOCKET_ROUND_TRIP_RATIO, "x", row.secureOverPlain(), ratioDetail(row)));
            } else {
                anyOneWay = true;
                String direction = row.benchmark().startsWith("upload") ? "client to server" : "server to client";
                String kind = row.benchmark().startsWith("upload") ? "upload" : "download";
                targets.add(new Target("websocket-" + kind + "-" + id, "Loopback WebSocket 1 MiB one way " + direction + ", secure over plain (" + where + ")",
                        Comparison.AT_MOST, WEB_SOCKET_ONE_WAY_RATIO, "x", row.secureOverPlain(), ratioDetail(row)));
                if (kind.equals("upload") && !Double.isNaN(row.secureBytesPerSecond())
                        && (fastestUpload == null || row.secureBytesPerSecond() > fastestUpload.secureBytesPerSecond())) {
                    fastestUpload = row;
                }
            }
        }
        if (!anyRoundTrip) {
            targets.add(new Target("websocket-round-trip", "Loopback WebSocket 1,536 B round trip, secure over plain on the same stack",
                    Comparison.AT_MOST, WEB_SOCKET_ROUND_TRIP_RATIO, "x", Double.NaN, "no WebSocketBenchmark results"));
        }
        if (!anyOneWay) {
            targets.add(new Target("websocket-one-way", "Loopback WebSocket 1 MiB one way, secure over plain on the same stack",
                    Comparison.AT_MOST, WEB_SOCKET_ONE_WAY_RATIO, "x", Double.NaN, "no WebSocketBenchmark results"));
        }
        targets.add(new Target("websocket-upload-fastest", "Loopback WebSocket 1 MiB client to server, secure, fastest stack",
                Comparison.AT_LEAST, WEB_SOCKET_UPLOAD_GIGABYTES_PER_SECOND, "GB/s",
                fastestUpload == null ? Double.NaN : fastestUpload.secureBytesPerSecond() / 1e9,
                fastestUpload == null ? "no upload1MiB results" : fastestUpload.pair()));
    }

    private static String ratioDetail(WebSocketRow row) {
        if (row.plain() == null || row.secure() == null) {
            return "plain or secure result missing";
        }
        return String.format("%.1f us over %.1f us per message (median of iteration means)", row.secure().p50Micros(), row.plain().p50Micros());
    }
}
