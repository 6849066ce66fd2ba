package dev.securechannel.bench.report;

import dev.securechannel.bench.report.JdkFigures.HandshakeRow;
import dev.securechannel.bench.report.JdkFigures.RoundTripRow;
import org.jspecify.annotations.Nullable;

/**
 * The transport's cost next to the model's: the handshake and a 1,536 B round trip (one
 * 384-dimension float32 embedding) as a share of MiniLM inference for one sentence and for a
 * batch of 32, using one JDK's in-memory figures.
 *
 * @param jdkFeature      the JDK whose transport figures are used
 * @param times           the inference times
 * @param handshakeMillis the handshake p50 (the one the targets use), NaN if not measured
 * @param roundTripMillis the secure 1,536 B round trip p50, NaN if not measured
 */
public record RealWorldImpact(int jdkFeature, InferenceTimes times, double handshakeMillis, double roundTripMillis) {

    /** Combines one JDK's figures with the inference times. */
    public static RealWorldImpact of(JdkFigures figures, InferenceTimes times) {
        HandshakeRow handshake = figures.primaryHandshake();
        RoundTripRow roundTrip = figures.roundTrip(1536);
        return new RealWorldImpact(figures.feature(), times,
                handshake == null || handshake.latency() == null ? Double.NaN : handshake.latency().p50Micros() / 1e3,
                roundTrip == null || roundTrip.secure() == null ? Double.NaN : roundTrip.secure().p50Micros() / 1e3);
    }

    /** Handshake plus one round trip: a request on a fresh session. */
    public double firstRequestMillis() {
        return handshakeMillis + roundTripMillis;
    }

    /** {@code millis} as a percentage of {@code ofMillis} (NaN if either is missing). */
    public static double percentOf(double millis, double ofMillis) {
        return millis / ofMillis * 100;
    }

    /** What the secure channel adds end to end over REST, in milliseconds (NaN if either is missing). */
    public double endToEndDifferenceMillis() {
        return times.secureRoundTripMillis() - times.restRoundTripMillis();
    }

    /** The JDK to use for the section: 25 when measured, else the newest. */
    static @Nullable JdkFigures preferredJdk(java.util.List<JdkFigures> jdks) {
        for (JdkFigures figures : jdks) {
            if (figures.feature() == Targets.TARGET_JDK) {
                return figures;
            }
        }
        return jdks.isEmpty() ? null : jdks.get(0);
    }
}
