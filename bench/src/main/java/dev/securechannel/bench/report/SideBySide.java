package dev.securechannel.bench.report;

import dev.securechannel.bench.endpoint.Bursts;
import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import dev.securechannel.bench.report.JdkFigures.ThroughputRow;
import dev.securechannel.bench.report.JdkFigures.TlsRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The report's last section: for each of the reference's published figures, the reference,
 * the secure channel, the JDK's TLS 1.3 with both suites (SSLEngines over the same in-memory
 * duplex) and the plaintext framing, all but the reference from the same run.
 *
 * <p>Every comparison is a speed ratio: how many times faster the secure channel is (above 1:
 * faster, below 1: slower), i.e. the other's time over ours, or our throughput over theirs.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * One row: values in microseconds (latency) or bytes per second (throughput), NaN where not measured.
     *
     * @param metric        what is compared
     * @param throughput    whether the values are bytes per second (else microseconds)
     * @param reference     the reference's published figure
     * @param secureChannel this run's secure channel
     * @param tlsChaCha20   JDK TLS 1.3, ChaCha20-Poly1305, SSLEngines in memory
     * @param tlsAes128Gcm  JDK TLS 1.3, AES-128-GCM, SSLEngines in memory
     * @param plaintext     the same framing without cryptography
     */
    public record Row(String metric, boolean throughput, double reference, double secureChannel,
                      double tlsChaCha20, double tlsAes128Gcm, double plaintext) {

        /** How many times faster the secure channel is than {@code other} (NaN if either is missing). */
        public double speedVs(double other) {
            return throughput ? secureChannel / other : other / secureChannel;
        }
    }

    /** The rows for one JDK's figures. */
    public static List<Row> rows(JdkFigures figures) {
        TlsRow chacha = figures.tlsOf(JdkFigures.CHACHA20, JdkFigures.ENGINE);
        TlsRow aes = figures.tlsOf(JdkFigures.AES_128_GCM, JdkFigures.ENGINE);
        List<Row> rows = new ArrayList<>();

        HandshakeRow handshake = figures.primaryHandshake();
        rows.add(new Row("Handshake p50" + (handshake == null ? "" : " (" + (handshake.key().equals("pooled-keys") ? "pooled keys" : "keys inline") + ")"),
                false, ReferenceFigures.HANDSHAKE_P50_MICROS,
                handshake == null || handshake.latency() == null ? Double.NaN : handshake.latency().p50Micros(),
                tlsHandshake(chacha), tlsHandshake(aes), Double.NaN));

        for (Map.Entry<Integer, Double> reference : new TreeMap<>(ReferenceFigures.ROUND_TRIP_P50_MICROS).entrySet()) {
            int size = reference.getKey();
            RoundTripRow ours = figures.roundTrip(size);
            rows.add(new Row("Round trip " + MarkdownReport.size(size) + " p50", false, reference.getValue(),
                    ours == null || ours.secure() == null ? Double.NaN : ours.secure().p50Micros(),
                    tlsRoundTrip(chacha, size), tlsRoundTrip(aes, size),
                    ours == null || ours.plain() == null ? Double.NaN : ours.plain().p50Micros()));
        }

        for (Map.Entry<Integer, Double> reference : new TreeMap<>(ReferenceFigures.ONE_WAY_BYTES_PER_SECOND).entrySet()) {
            int size = reference.getKey();
            ThroughputRow ours = figures.throughputOf(size);
            rows.add(new Row("One way " + MarkdownReport.size(size) + " x " + Bursts.messagesPerBurst(size), true, reference.getValue(),
                    ours == null ? Double.NaN : ours.secureBytesPerSecond(),
                    chacha == null ? Double.NaN : chacha.oneWayBytesPerSecond(size),
                    aes == null ? Double.NaN : aes.oneWayBytesPerSecond(size),
                    ours == null ? Double.NaN : ours.plainBytesPerSecond()));
        }
        return rows;
    }

    private static double tlsHandshake(@Nullable TlsRow row) {
        return row == null || row.handshake() == null ? Double.NaN : row.handshake().p50Micros();
    }

    private static double tlsRoundTrip(@Nullable TlsRow row, int size) {
        Figure figure = row == null ? null : row.roundTrips().get(size);
        return figure == null ? Double.NaN : figure.p50Micros();
    }
}
