package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.protocol.FrameType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters the observer registers and what each event records. */
class MicrometerConnectionObserverTest {

    private static final HandshakeTimings TIMINGS = new HandshakeTimings(4_000, 9_000, 120_000, 400_000);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SecureChannelMetrics statistics = new SecureChannelMetrics();
    private final MicrometerConnectionObserver observer = new MicrometerConnectionObserver(registry, statistics, "mock");
    private final TestConnections connections = new TestConnections();

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void registersNoFrameOrRequestTimerBeforeItsFirstValue() {
        assertThat(registry.find(MicrometerConnectionObserver.SEAL).timers()).isEmpty();
        assertThat(registry.find(MicrometerConnectionObserver.OPEN).timers()).isEmpty();
        assertThat(registry.find(MicrometerConnectionObserver.REQUEST).timers()).isEmpty();

        observer.frameSealed(FrameType.TENSOR, 600_000, 9_000);
        observer.publish();

        assertThat(registry.find(MicrometerConnectionObserver.SEAL).timers()).singleElement()
                .satisfies(timer -> assertThat(timer.getId().getTag("size")).isEqualTo("gt-512KiB"));
        assertThat(registry.find(MicrometerConnectionObserver.OPEN).timers()).isEmpty();
    }

    @Test
    void anIdleApplicationExportsAFewDozenSeries() {
        assertThat(securechannelSeries(prometheusObserver().registry)).isBetween(1L, 40L);
    }

    @Test
    void aServingApplicationExportsAFewHundredSeries() {
        PrometheusObserver prometheus = prometheusObserver();
        prometheus.observer.handshakeCompleted(Role.RESPONDER, TIMINGS);
        prometheus.observer.handshakeFailed(Role.RESPONDER, FailureReason.MEASUREMENT_MISMATCH, 5_000);
        for (int size : new int[] {100, 4_000, 100_000}) {
            prometheus.observer.frameSealed(FrameType.DATA, size, 3_000);
            prometheus.observer.frameWritten(FrameType.DATA, size, 3_000);
            prometheus.observer.frameOpened(FrameType.DATA, size, 3_000);
        }
        prometheus.observer.publish();

        // 1 + 4 phase timers + 1 failure timer + 9 frame timers, about 30 lines each.
        assertThat(securechannelSeries(prometheus.registry)).isBetween(300L, 500L);
    }

    @Test
    void finerHistogramsAreOptIn() {
        PrometheusMeterRegistry fine = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        fine.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
            }
        });
        MicrometerConnectionObserver observer = new MicrometerConnectionObserver(fine, new SecureChannelMetrics(), "mock");
        observer.frameSealed(FrameType.DATA, 1536, 2_000);
        observer.publish();

        double[] boundsMicros = bucketBoundsMicros(fine.get(MicrometerConnectionObserver.SEAL).timer());
        assertThat(boundsMicros[0]).isLessThanOrEqualTo(1.1);
        assertThat(Arrays.stream(boundsMicros).filter(bound -> bound < 10).count()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void timesASealedFrameByTypeAndSizeClassOncePublished() {
        observer.frameSealed(FrameType.DATA, 4096, 3_000);
        assertThat(registry.find(MicrometerConnectionObserver.SEAL).timer()).isNull();

        observer.publish();

        Timer timer = registry.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-8KiB").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(3_000, withinPercentage(6.25));
    }

    @Test
    void publishesEachFrameOnce() {
        observer.frameOpened(FrameType.TENSOR, 100_000, 40_000);
        observer.publish();
        observer.frameOpened(FrameType.TENSOR, 100_000, 40_000);
        observer.publish();
        observer.publish();

        assertThat(registry.get(MicrometerConnectionObserver.OPEN).tags("type", "tensor", "size", "le-512KiB").timer().count())
                .isEqualTo(2);
    }

    @Test
    void publishesOnItsOwnOnceStarted() {
        try (MicrometerConnectionObserver started = new MicrometerConnectionObserver(registry, new SecureChannelMetrics(), "mock",
                Duration.ofMillis(20))) {
            started.start();
            started.frameSealed(FrameType.DATA, 10, 2_000);

            await().atMost(Duration.ofSeconds(5)).until(() ->
                    registry.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB").timer().count() == 1);
        }
    }

    @Test
    void registersAControlFrameTimerOnFirstUse() {
        assertThat(registry.find(MicrometerConnectionObserver.OPEN).tag("type", "shutdown").timer()).isNull();

        observer.frameOpened(FrameType.SHUTDOWN, 0, 800);
        observer.frameOpened(FrameType.SHUTDOWN, 0, 900);
        observer.publish();

        assertThat(registry.get(MicrometerConnectionObserver.OPEN).tags("type", "shutdown", "size", "le-2KiB").timer().count())
                .isEqualTo(2);
    }

    @Test
    void frameHistogramsHaveOneTwoFiveBucketsFromOneMicrosecondToOneSecond() {
        PrometheusObserver prometheus = prometheusObserver();
        prometheus.observer.frameSealed(FrameType.DATA, 1536, 2_000);
        prometheus.observer.publish();

        double[] boundsMicros = bucketBoundsMicros(prometheus.registry.get(MicrometerConnectionObserver.SEAL).timer());
        assertThat(boundsMicros).startsWith(1, 2, 5, 10, 20, 50, 100).endsWith(500_000, 1_000_000).hasSize(19);
    }

    @Test
    void aTwoAndAFiveMicrosecondSealLandInDifferentBuckets() {
        PrometheusObserver prometheus = prometheusObserver();
        prometheus.observer.frameSealed(FrameType.DATA, 1536, 2_000);
        prometheus.observer.frameSealed(FrameType.DATA, 1536, 5_000);
        prometheus.observer.publish();

        // Prometheus buckets are cumulative: some bucket between the two holds the first value only.
        CountAtBucket[] buckets = prometheus.registry.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB")
                .timer().takeSnapshot().histogramCounts();
        assertThat(buckets).anySatisfy(bucket -> {
            assertThat(bucket.bucket(TimeUnit.NANOSECONDS)).isBetween(2_000.0, 4_999.0);
            assertThat(bucket.count()).isEqualTo(1);
        });
    }

    @Test
    void distributesPayloadSizesByDirection() {
        observer.frameSealed(FrameType.DATA, 100, 1_000);
        observer.frameSealed(FrameType.TENSOR, 700_000, 1_000);
        observer.frameOpened(FrameType.DATA, 50, 1_000);
        observer.publish();

        assertThat(registry.get(MicrometerConnectionObserver.PAYLOAD).tag("direction", "out").summary().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerConnectionObserver.PAYLOAD).tag("direction", "in").summary().count()).isEqualTo(1);
    }

    @Test
    void payloadSizesLandExactlyInTheirPowerOfTwoBuckets() {
        PrometheusObserver prometheus = prometheusObserver();
        for (int size : new int[] {0, 2048, 2048, 2049, 8192, 8193}) {
            prometheus.observer.frameSealed(FrameType.DATA, size, 1_000);
        }
        prometheus.observer.publish();

        CountAtBucket[] buckets = prometheus.registry.get(MicrometerConnectionObserver.PAYLOAD).tag("direction", "out").summary()
                .takeSnapshot().histogramCounts();
        assertThat(cumulativeCountAt(buckets, 2048)).isEqualTo(3);
        assertThat(cumulativeCountAt(buckets, 8192)).isEqualTo(5);
    }

    @Test
    void countsPlaintextBytesEachWayWithoutWaitingForAPublish() {
        observer.frameSealed(FrameType.DATA, 100, 1_000);
        observer.frameSealed(FrameType.DATA, 200, 1_000);
        observer.frameOpened(FrameType.DATA, 50, 1_000);

        assertThat(registry.get(MicrometerConnectionObserver.TRAFFIC).tag("direction", "out").functionCounter().count()).isEqualTo(300);
        assertThat(registry.get(MicrometerConnectionObserver.TRAFFIC).tag("direction", "in").functionCounter().count()).isEqualTo(50);
    }

    @Test
    void timesACompletedHandshakeByRoleOutcomeAndProvider() {
        observer.handshakeCompleted(Role.RESPONDER, TIMINGS);

        Timer timer = registry.get(MicrometerConnectionObserver.HANDSHAKE)
                .tags("role", "responder", "outcome", "success", "provider", "mock", "reason", "none").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(400_000);
    }

    @Test
    void registersARolesHandshakeTimersOnItsFirstHandshake() {
        assertThat(registry.find(MicrometerConnectionObserver.HANDSHAKE).timers()).isEmpty();

        observer.handshakeCompleted(Role.RESPONDER, TIMINGS);

        assertThat(registry.find(MicrometerConnectionObserver.HANDSHAKE).timers()).hasSize(1);
        assertThat(registry.find(MicrometerConnectionObserver.HANDSHAKE_PHASE).tag("role", "responder").timers()).hasSize(4);
        assertThat(registry.find(MicrometerConnectionObserver.HANDSHAKE_PHASE).tag("role", "initiator").timers()).isEmpty();
    }

    @Test
    void timesEachHandshakePhase() {
        observer.handshakeCompleted(Role.INITIATOR, TIMINGS);

        assertThat(phase("attest").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(phase("verify-peer").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(9_000);
        assertThat(phase("key-derivation").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(120_000);
        assertThat(phase("waiting").totalTime(TimeUnit.NANOSECONDS)).isEqualTo(267_000);
    }

    @Test
    void tagsFailedHandshakesWithTheirReason() {
        observer.handshakeFailed(Role.INITIATOR, FailureReason.MEASUREMENT_MISMATCH, 1_000);
        observer.handshakeFailed(Role.INITIATOR, FailureReason.MEASUREMENT_MISMATCH, 2_000);

        assertThat(registry.get(MicrometerConnectionObserver.HANDSHAKE)
                .tags("role", "initiator", "outcome", "failure", "reason", "measurement-mismatch").timer().count()).isEqualTo(2);
    }

    @Test
    void activeSessionsGaugeFollowsOpenAndCloseByRole() {
        Connection server = connections.server(0);
        observer.sessionOpened(server);
        observer.sessionOpened(connections.client());
        assertThat(activeSessions("responder")).isEqualTo(1);

        observer.sessionClosed(server, CloseReason.clean());
        assertThat(activeSessions("responder")).isZero();
        assertThat(activeSessions("initiator")).isEqualTo(1);
    }

    @Test
    void countsOpenedSessionsByRole() {
        observer.sessionOpened(connections.server(0));
        observer.sessionOpened(connections.server(0));

        assertThat(registry.get(MicrometerConnectionObserver.SESSIONS_OPENED).tag("role", "responder").functionCounter().count())
                .isEqualTo(2);
    }

    @Test
    void countsClosedSessionsByCloseReason() {
        Connection clean = connections.server(0);
        Connection truncated = connections.server(0);
        observer.sessionOpened(clean);
        observer.sessionOpened(truncated);
        observer.sessionClosed(clean, CloseReason.clean());
        observer.sessionClosed(truncated, CloseReason.failed(FailureReason.TRUNCATED));

        assertThat(closed("shutdown")).isEqualTo(1);
        assertThat(closed("truncated")).isEqualTo(1);
    }

    @Test
    void sendBufferGaugeSumsTheQueuesOfOpenSessions() {
        observer.sessionOpened(connections.server(1_000));
        observer.sessionOpened(connections.server(500));

        assertThat(registry.get(MicrometerConnectionObserver.SEND_BUFFER).gauge().value()).isEqualTo(1_500);
    }

    @Test
    void timesClientRequestRoundTrips() {
        observer.requestCompleted(250_000);

        assertThat(registry.get(MicrometerConnectionObserver.REQUEST).timer().count()).isEqualTo(1);
    }

    @Test
    void feedsTheInProcessStatisticsImmediately() {
        observer.frameSealed(FrameType.DATA, 1536, 2_000);
        observer.handshakeFailed(Role.RESPONDER, FailureReason.INVALID_MAGIC, 10);

        SecureChannelMetrics.Snapshot snapshot = statistics.snapshot();
        assertThat(snapshot.messages().seal().overall().count()).isEqualTo(1);
        assertThat(snapshot.handshakes().failures()).containsEntry("invalid-magic", 1L);
    }

    @Test
    void recordingFramesAllocatesNothing() {
        MicrometerConnectionObserver recording = prometheusObserver().observer;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50_000; i++) {
            recordPair(recording, i);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50_000; i++) {
            recordPair(recording, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // A few hundred bytes of slack for the measurement itself; per frame this is zero.
        assertThat(allocated).isLessThan(4_096);
    }

    /** Percentile histograms are only published by registries that aggregate them, such as Prometheus. */
    private static PrometheusObserver prometheusObserver() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new PrometheusObserver(registry, new MicrometerConnectionObserver(registry, new SecureChannelMetrics(), "mock"));
    }

    private record PrometheusObserver(PrometheusMeterRegistry registry, MicrometerConnectionObserver observer) {
    }

    private static double[] bucketBoundsMicros(Timer timer) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts()).mapToDouble(bucket -> bucket.bucket(TimeUnit.MICROSECONDS))
                .toArray();
    }

    private static long securechannelSeries(PrometheusMeterRegistry registry) {
        return registry.scrape().lines().filter(line -> line.startsWith("securechannel_")).count();
    }

    private static long cumulativeCountAt(CountAtBucket[] buckets, double bound) {
        return (long) Arrays.stream(buckets).filter(bucket -> bucket.bucket() == bound).findFirst().orElseThrow().count();
    }

    private static void recordPair(MicrometerConnectionObserver recording, int i) {
        recording.frameSealed(FrameType.DATA, 1536, 2_000 + (i & 1023));
        recording.frameOpened(FrameType.DATA, 1536, 2_500 + (i & 1023));
    }

    private Timer phase(String phase) {
        return registry.get(MicrometerConnectionObserver.HANDSHAKE_PHASE).tags("role", "initiator", "phase", phase).timer();
    }

    private double activeSessions(String role) {
        return registry.get(MicrometerConnectionObserver.SESSIONS_ACTIVE).tag("role", role).gauge().value();
    }

    private double closed(String reason) {
        return registry.get(MicrometerConnectionObserver.SESSIONS_CLOSED).tags("role", "responder", "reason", reason)
                .functionCounter().count();
    }
}
