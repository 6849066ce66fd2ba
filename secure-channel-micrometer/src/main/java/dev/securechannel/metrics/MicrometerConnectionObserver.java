package dev.securechannel.metrics;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.SecureSession;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Records connection events as Micrometer meters, through a {@link SecureChannelMetrics}.
 *
 * <p><b>Meters</b> (Prometheus names in brackets):
 * <ul>
 *   <li>{@value #HANDSHAKE} timer [{@code securechannel_handshake_seconds}]: whole handshakes,
 *       tagged {@code role}, {@code outcome} ({@code success}, {@code failure}), {@code provider}
 *       (the local attestation provider) and {@code reason} (a failure reason, {@code none} on success);</li>
 *   <li>{@value #HANDSHAKE_PHASE} timer: completed handshakes' time per {@code phase}
 *       ({@link HandshakePhase}), tagged {@code role} and {@code provider};</li>
 *   <li>{@value #SEAL} and {@value #OPEN} timers: per frame, tagged {@code type} and {@code size}
 *       ({@link PayloadSizeClass}); a seal is timed alone, without the wait for the send lock
 *       or the transport write;</li>
 *   <li>{@value #WRITE} timer: handing each sealed frame to the transport, tagged as the seal
 *       timer, registered when the first frame is published;</li>
 *   <li>{@value #PAYLOAD} summary: payload sizes in bytes by {@code direction} ({@code in}, {@code out});</li>
 *   <li>{@value #TRAFFIC} counter [{@code securechannel_traffic_bytes_total}]: plaintext bytes by {@code direction};</li>
 *   <li>{@value #REQUEST} timer: client request-to-reply round trips;</li>
 *   <li>{@value #SESSIONS_ACTIVE} gauge, {@value #SESSIONS_OPENED} and {@value #SESSIONS_CLOSED}
 *       counters (the latter tagged by close {@code reason}), by {@code role};</li>
 *   <li>{@value #SEND_BUFFER} gauge: bytes waiting in the open sessions' send queues.</li>
 * </ul>
 * <p><b>Series.</b> The default export is small: what the dashboard in {@code observability/}
 * needs and no more. Every timer publishes a histogram with three buckets per decade (1, 2
 * and 5 times a power of ten; from 1 us for frames, which Micrometer's default floor of 1 ms
 * would put in one bucket), enough for the monitoring system's p50/p95/p99 to within a bucket.
 * No meter exists for what has not happened: frame timers appear with the first frame of their
 * type and size class, a role's handshake timers with its first handshake, the request timer
 * with the first request. An idle application exports about thirty {@code securechannel_}
 * series. Finer histograms are opt-in through a {@link io.micrometer.core.instrument.config.MeterFilter}
 * on the registry, which in Spring Boot its own properties configure:
 * {@code management.metrics.distribution.percentiles-histogram.securechannel=true} adds
 * Micrometer's percentile buckets (about 70 per timer), and
 * {@code management.metrics.distribution.slo.securechannel.frame.seal=...} replaces the
 * buckets of one timer.
 *
 * <p><b>Cost.</b> A Micrometer timer or summary reads the wall clock twice per value (for its
 * decaying maximum and its histogram window), which alone is a few percent of sealing and
 * opening a small frame. So frames are not recorded into Micrometer on the I/O path: they go
 * into the {@link SecureChannelMetrics} histograms (per frame type and size class, fixed
 * arrays, two atomic increments, no clock, no allocation), and {@link #publish()}, run every
 * publish interval on a daemon thread after {@link #start()}, replays what grew into the
 * pre-registered timers and summaries. Published frame counts are exact and at most one
 * interval late; each published duration is the middle of its 12.5%-wide bucket (so sums
 * and maxima are within 6.25%), and payload sizes land exactly in their power-of-two buckets.
 * Handshakes, sessions and requests are recorded directly: they are not per frame.
 *
 * <p>Thread-safe. Close it to stop publishing (a last publish runs first).
 */
public final class MicrometerConnectionObserver implements ConnectionObserver, AutoCloseable {

    /** Whole-handshake timer. */
    public static final String HANDSHAKE = "securechannel.handshake";
    /** Handshake phase timer. */
    public static final String HANDSHAKE_PHASE = "securechannel.handshake.phase";
    /** Frame sealing timer. */
    public static final String SEAL = "securechannel.frame.seal";
    /** Timer of handing sealed frames to the transport. */
    public static final String WRITE = "securechannel.frame.write";
    /** Frame opening timer. */
    public static final String OPEN = "securechannel.frame.open";
    /** Payload size summary. */
    public static final String PAYLOAD = "securechannel.frame.payload";
    /** Plaintext byte counter. */
    public static final String TRAFFIC = "securechannel.traffic";
    /** Client request round-trip timer. */
    public static final String REQUEST = "securechannel.request";
    /** Open sessions gauge. */
    public static final String SESSIONS_ACTIVE = "securechannel.sessions.active";
    /** Opened sessions counter. */
    public static final String SESSIONS_OPENED = "securechannel.sessions.opened";
    /** Closed sessions counter. */
    public static final String SESSIONS_CLOSED = "securechannel.sessions.closed";
    /** Counter of peers whose attestation was rejected, by role, verifier and the check that failed. */
    public static final String ATTESTATION_REJECTIONS = "securechannel.attestation.rejections";
    /** Send queue gauge. */
    public static final String SEND_BUFFER = "securechannel.send.buffer";

    /** How often frame histograms are published by default. */
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(1);

    private static final Duration MIN_LATENCY = Duration.ofNanos(1_000);
    private static final Duration MAX_FRAME_LATENCY = Duration.ofSeconds(1);
    private static final Duration MAX_HANDSHAKE_LATENCY = Duration.ofSeconds(30);
    private static final double[] PAYLOAD_BUCKETS = {
        256, 1024, 2 * 1024, 8 * 1024, 64 * 1024, 512 * 1024, 1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024};

    private static final Role[] ROLES = Role.values();
    private static final FailureReason[] REASONS = FailureReason.values();
    private static final HandshakePhase[] PHASES = HandshakePhase.values();
    private static final FrameType[] TYPES = FrameType.values();
    private static final PayloadSizeClass[] SIZES = PayloadSizeClass.values();

    private final MeterRegistry registry;
    private final SecureChannelMetrics statistics;
    private final String provider;
    private final Duration publishInterval;

    /** Per role: the whole-handshake timer, then one timer per phase; registered on the role's first handshake. */
    private final AtomicReferenceArray<Timer[]> handshakeCompleted = new AtomicReferenceArray<>(ROLES.length);
    private final AtomicReferenceArray<Timer> handshakeFailed = new AtomicReferenceArray<>(ROLES.length * REASONS.length);
    private volatile @Nullable Timer requests;
    private final AtomicIntegerArray closeReasonRegistered = new AtomicIntegerArray(ROLES.length * (REASONS.length + 1));

    // Publisher state, guarded by "this".
    private final Timer[] sealTimers = new Timer[SecureChannelMetrics.CELLS];
    private final Timer[] writeTimers = new Timer[SecureChannelMetrics.CELLS];
    private final Timer[] openTimers = new Timer[SecureChannelMetrics.CELLS];
    private final long[][] sealPublished = new long[SecureChannelMetrics.CELLS][];
    private final long[][] writePublished = new long[SecureChannelMetrics.CELLS][];
    private final long[][] openPublished = new long[SecureChannelMetrics.CELLS][];
    private final DistributionSummary payloadOut;
    private final DistributionSummary payloadIn;
    private final PayloadHistogram.Published payloadOutPublished = new PayloadHistogram.Published();
    private final PayloadHistogram.Published payloadInPublished = new PayloadHistogram.Published();
    private @Nullable ScheduledExecutorService publisher;

    /**
     * Registers the meters in {@code registry}, publishing frame histograms every
     * {@link #DEFAULT_PUBLISH_INTERVAL} once started.
     *
     * @param registry   where meters go
     * @param statistics the in-process statistics this observer records into, and that its
     *                   meters are published from
     * @param provider   the local attestation provider's type, the {@code provider} tag
     */
    public MicrometerConnectionObserver(MeterRegistry registry, SecureChannelMetrics statistics, String provider) {
        this(registry, statistics, provider, DEFAULT_PUBLISH_INTERVAL);
    }

    /**
     * Registers the meters in {@code registry}.
     *
     * @param publishInterval how often {@link #start()} publishes frame histograms to Micrometer
     */
    public MicrometerConnectionObserver(MeterRegistry registry, SecureChannelMetrics statistics, String provider,
                                        Duration publishInterval) {
        if (publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException("publish interval must be positive: " + publishInterval);
        }
        this.registry = registry;
        this.statistics = statistics;
        this.provider = provider;
        this.publishInterval = publishInterval;
        for (Role role : ROLES) {
            Gauge.builder(SESSIONS_ACTIVE, statistics, metrics -> metrics.activeSessions(role))
                    .description("Sessions open now").tag("role", role.tagValue()).register(registry);
            FunctionCounter.builder(SESSIONS_OPENED, statistics, metrics -> metrics.sessionsOpened(role))
                    .description("Sessions opened").tag("role", role.tagValue()).register(registry);
        }
        payloadOut = payloadSummary("out");
        payloadIn = payloadSummary("in");
        FunctionCounter.builder(TRAFFIC, statistics, SecureChannelMetrics::bytesSent).baseUnit("bytes")
                .description("Plaintext bytes sealed and sent").tag("direction", "out").register(registry);
        FunctionCounter.builder(TRAFFIC, statistics, SecureChannelMetrics::bytesReceived).baseUnit("bytes")
                .description("Plaintext bytes received and opened").tag("direction", "in").register(registry);
        Gauge.builder(SEND_BUFFER, statistics, SecureChannelMetrics::queuedBytes).baseUnit("bytes")
                .description("Bytes waiting in the send queues of open sessions").register(registry);
    }

    /** The statistics this observer records into. */
    public SecureChannelMetrics statistics() {
        return statistics;
    }

    // ---------------------------------------------------------------- frames: the hot path

    @Override
    public void frameSealed(FrameType type, int plaintextLength, long nanos) {
        statistics.recordSeal(type, plaintextLength, nanos);
    }

    @Override
    public void frameWritten(FrameType type, int plaintextLength, long nanos) {
        statistics.recordWrite(type, plaintextLength, nanos);
    }

    @Override
    public void frameOpened(FrameType type, int plaintextLength, long nanos) {
        statistics.recordOpen(type, plaintextLength, nanos);
    }

    // ---------------------------------------------------------------- publishing frames to Micrometer

    /** Publishes every publish interval on a daemon thread; does nothing when already started. */
    public synchronized void start() {
        if (publisher != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secure-channel-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long period = publishInterval.toNanos();
        started.scheduleWithFixedDelay(this::publish, period, period, TimeUnit.NANOSECONDS);
        publisher = started;
    }

    /**
     * Replays the frames recorded since the last publish into the Micrometer timers and
     * payload summaries. Runs on the publisher thread; callable directly (tests, shutdown).
     */
    public synchronized void publish() {
        for (int cell = 0; cell < SecureChannelMetrics.CELLS; cell++) {
            publishCell(statistics.sealCell(cell), sealTimers, sealPublished, SEAL, cell);
            publishCell(statistics.writeCell(cell), writeTimers, writePublished, WRITE, cell);
            publishCell(statistics.openCell(cell), openTimers, openPublished, OPEN, cell);
        }
        statistics.payload(true).drain(payloadOutPublished, (size, count) -> record(payloadOut, size, count));
        statistics.payload(false).drain(payloadInPublished, (size, count) -> record(payloadIn, size, count));
        statistics.advanceRecent();
    }

    /** Publishes what is left and stops the publisher thread. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = publisher;
            publisher = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
        publish();
    }

    private void publishCell(LogLinearHistogram histogram, Timer[] timers, long[][] published, String name, int cell) {
        long[] seen = published[cell];
        if (seen == null) {
            if (histogram.count() == 0) {
                return;
            }
            seen = new long[LogLinearHistogram.BUCKETS];
            published[cell] = seen;
        }
        Timer timer = timers[cell] != null ? timers[cell] : frameTimer(timers, name, cell);
        histogram.drain(seen, (bucket, count) -> {
            long nanos = LogLinearHistogram.midpoint(bucket);
            for (long i = 0; i < count; i++) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    private static void record(DistributionSummary summary, int size, long count) {
        for (long i = 0; i < count; i++) {
            summary.record(size);
        }
    }

    // ---------------------------------------------------------------- handshakes, sessions, requests

    @Override
    public void handshakeCompleted(Role role, HandshakeTimings timings) {
        Timer[] timers = handshakeCompleted.get(role.ordinal());
        if (timers == null) {
            timers = completedHandshakeTimers(role);
            handshakeCompleted.compareAndSet(role.ordinal(), null, timers);
        }
        timers[0].record(timings.totalNanos(), TimeUnit.NANOSECONDS);
        for (HandshakePhase phase : PHASES) {
            timers[1 + phase.ordinal()].record(phase.nanos(timings), TimeUnit.NANOSECONDS);
        }
        statistics.handshakeCompleted(role, timings);
    }

    @Override
    public void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
        int index = role.ordinal() * REASONS.length + reason.ordinal();
        Timer timer = handshakeFailed.get(index);
        if (timer == null) {
            timer = handshakeTimer(role, "failure", reason.tagValue());
            handshakeFailed.compareAndSet(index, null, timer);
        }
        timer.record(Math.max(0, elapsedNanos), TimeUnit.NANOSECONDS);
        statistics.handshakeFailed(role, reason);
    }

    @Override
    public void attestationRejected(Role role, String verifier, String detailCode) {
        if (statistics.attestationRejected(role, verifier, detailCode)) {
            FunctionCounter.builder(ATTESTATION_REJECTIONS, statistics, metrics -> metrics.attestationRejections(role, verifier, detailCode))
                    .description("Peers whose attestation was rejected, by the check that failed")
                    .tags("role", role.tagValue(), "verifier", verifier, "reason", detailCode).register(registry);
        }
    }

    @Override
    public void sessionOpened(SecureSession connection) {
        statistics.sessionOpened(connection);
    }

    @Override
    public void sessionClosed(SecureSession connection, CloseReason reason) {
        statistics.sessionClosed(connection, reason);
        Role role = connection.role();
        FailureReason failure = reason.failure();
        int index = role.ordinal() * (REASONS.length + 1) + (failure == null ? 0 : failure.ordinal() + 1);
        if (closeReasonRegistered.compareAndSet(index, 0, 1)) {
            FunctionCounter.builder(SESSIONS_CLOSED, statistics, metrics -> metrics.sessionsClosed(role, reason))
                    .description("Sessions ended, by close reason")
                    .tags("role", role.tagValue(), "reason", reason.tagValue()).register(registry);
        }
    }

    @Override
    public void requestCompleted(long nanos) {
        Timer timer = requests;
        if (timer == null) {
            // Registering twice from racing threads returns the same meter.
            timer = latencyTimer(REQUEST, "Client request-to-reply round trips", Tags.empty(), MAX_HANDSHAKE_LATENCY);
            requests = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        statistics.requestCompleted(nanos);
    }

    // ---------------------------------------------------------------- registration

    private Timer[] completedHandshakeTimers(Role role) {
        Timer[] timers = new Timer[1 + PHASES.length];
        timers[0] = handshakeTimer(role, "success", "none");
        for (HandshakePhase phase : PHASES) {
            timers[1 + phase.ordinal()] = latencyTimer(HANDSHAKE_PHASE, "Time of completed handshakes by phase",
                    Tags.of("role", role.tagValue(), "phase", phase.tagValue(), "provider", provider), MAX_HANDSHAKE_LATENCY);
        }
        return timers;
    }

    private Timer handshakeTimer(Role role, String outcome, String reason) {
        return latencyTimer(HANDSHAKE, "Whole handshakes, waiting on the peer included",
                Tags.of("role", role.tagValue(), "outcome", outcome, "provider", provider, "reason", reason), MAX_HANDSHAKE_LATENCY);
    }

    private Timer frameTimer(Timer[] timers, String name, int cell) {
        FrameType type = TYPES[cell / SIZES.length];
        String description = switch (name) {
            case SEAL -> "Sealing a frame, the seal alone";
            case WRITE -> "Handing a sealed frame to the transport";
            default -> "Opening a frame";
        };
        Timer timer = latencyTimer(name, description,
                Tags.of("type", type.name().toLowerCase(Locale.ROOT), "size", SIZES[cell % SIZES.length].tagValue()),
                MAX_FRAME_LATENCY);
        timers[cell] = timer;
        return timer;
    }

    private Timer latencyTimer(String name, String description, Tags tags, Duration max) {
        // The expected range also bounds Micrometer's percentile buckets when an application opts into them.
        return Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(oneTwoFiveBuckets(MIN_LATENCY, max))
                .minimumExpectedValue(MIN_LATENCY).maximumExpectedValue(max)
                .register(registry);
    }

    /** 1, 2 and 5 times each power of ten from {@code min} up to the first at or above {@code max}. */
    static Duration[] oneTwoFiveBuckets(Duration min, Duration max) {
        List<Duration> buckets = new ArrayList<>();
        for (long decade = min.toNanos(); ; decade *= 10) {
            for (long factor : new long[] {1, 2, 5}) {
                Duration bound = Duration.ofNanos(decade * factor);
                buckets.add(bound);
                if (bound.compareTo(max) >= 0) {
                    return buckets.toArray(Duration[]::new);
                }
            }
        }
    }

    private DistributionSummary payloadSummary(String direction) {
        return DistributionSummary.builder(PAYLOAD).description("Frame payload sizes").baseUnit("bytes")
                .tag("direction", direction).serviceLevelObjectives(PAYLOAD_BUCKETS).register(registry);
    }
}
