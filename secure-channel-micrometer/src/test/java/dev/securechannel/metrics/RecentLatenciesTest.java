package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.protocol.FrameType;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The recent latencies beside the totals: a slow start ages out of them, and they say which window they cover. */
class RecentLatenciesTest {

    private static final long COLD_NANOS = 5_000_000;
    private static final long WARM_NANOS = 10_000;

    private final MockClock clock = new MockClock();
    private final SecureChannelMetrics metrics = new SecureChannelMetrics(clock);

    @Test
    void inTheFirstMinuteRecentLatenciesCoverEverythingSinceStart() {
        metrics.recordSeal(FrameType.DATA, 100, COLD_NANOS);
        clock.add(Duration.ofSeconds(20));

        SecureChannelMetrics.Snapshot snapshot = metrics.snapshot();

        assertThat(snapshot.recent().windowSeconds()).isEqualTo(20.0);
        assertThat(snapshot.recent().messages().seal().overall()).isEqualTo(snapshot.messages().seal().overall());
    }

    @Test
    void aSlowStartAgesOutOfTheRecentLatenciesButStaysInTheTotals() {
        metrics.recordSeal(FrameType.DATA, 100, COLD_NANOS);
        metrics.requestCompleted(COLD_NANOS);
        for (int tick = 0; tick < 80; tick++) {
            clock.add(Duration.ofSeconds(1));
            metrics.recordSeal(FrameType.DATA, 100, WARM_NANOS);
            metrics.advanceRecent();
        }

        SecureChannelMetrics.Snapshot snapshot = metrics.snapshot();

        assertThat(snapshot.messages().seal().overall().count()).isEqualTo(81);
        assertThat(snapshot.messages().seal().overall().maxMicros()).isEqualTo(COLD_NANOS / 1_000.0);
        SecureChannelMetrics.Recent recent = snapshot.recent();
        assertThat(recent.windowSeconds()).isBetween(60.0, 75.0);
        LatencySummary seal = recent.messages().seal().overall();
        assertThat(seal.count()).as("one warm seal a second since the window began").isEqualTo((long) recent.windowSeconds());
        assertThat(seal.maxMicros()).isBetween(WARM_NANOS / 1_000.0, WARM_NANOS * 1.125 / 1_000.0);
        assertThat(seal.p99Micros()).isLessThanOrEqualTo(seal.maxMicros());
        assertThat(recent.messages().seal().bySize().get("le-2KiB")).isEqualTo(seal);
        assertThat(recent.requests()).isEqualTo(LatencySummary.EMPTY);
        assertThat(snapshot.requests().count()).isEqualTo(1);
    }

    @Test
    void withoutTicksTheWindowSaysHowFarBackItReaches() {
        metrics.recordOpen(FrameType.DATA, 100, COLD_NANOS);
        clock.add(Duration.ofMinutes(10));

        SecureChannelMetrics.Recent recent = metrics.snapshot().recent();

        assertThat(recent.windowSeconds()).isEqualTo(600.0);
        assertThat(recent.messages().open().overall().count()).isEqualTo(1);
    }

    @Test
    void theWindowNeverReachesFurtherBackThanOneStepBeyondAMinuteWhenTicked() {
        for (int tick = 0; tick < 300; tick++) {
            clock.add(Duration.ofSeconds(1));
            metrics.advanceRecent();
            double window = metrics.snapshot().recent().windowSeconds();
            assertThat(window).isLessThanOrEqualTo(75.0);
            if (tick >= 60) {
                assertThat(window).isGreaterThanOrEqualTo(60.0);
            }
        }
    }
}
