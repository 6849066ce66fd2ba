package dev.securechannel.metrics;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.SecureSession;
import io.micrometer.core.instrument.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics of every connection observed since the application started: what
 * {@code /actuator/securechannel} shows and what the Micrometer observer exports as gauges and
 * function counters. Independent of any meter registry, so its counts are exact and never
 * windowed, whichever monitoring system the application uses. Beside the totals, a snapshot
 * carries the latencies of the last minute or so ({@link Recent}), taken from the same
 * histograms.
 *
 * <p>{@link MicrometerConnectionObserver} records into it, and publishes its frame histograms
 * to Micrometer off the I/O path. (It is deliberately not a {@code ConnectionObserver} itself,
 * so that as a bean it never competes with the one observer the endpoints and clients pick
 * up.) Recording a frame is two histogram increments and an adder: no clock, no lock, no
 * allocation. Thread-safe.
 */
public final class SecureChannelMetrics {

    private static final Role[] ROLES = Role.values();
    private static final FailureReason[] REASONS = FailureReason.values();
    private static final HandshakePhase[] PHASES = HandshakePhase.values();
    private static final PayloadSizeClass[] SIZES = PayloadSizeClass.values();
    /** Frame histograms are kept per frame type and size class: the cell of {@link #cell}. */
    static final int CELLS = FrameType.values().length * SIZES.length;

    private final LogLinearHistogram[] seal = histograms(CELLS);
    private final LogLinearHistogram[] open = histograms(CELLS);
    private final LogLinearHistogram[] write = histograms(CELLS);
    private final PayloadHistogram payloadOut = new PayloadHistogram();
    private final PayloadHistogram payloadIn = new PayloadHistogram();
    private final LogLinearHistogram handshakes = new LogLinearHistogram();
    private final LogLinearHistogram[] phases = histograms(PHASES.length);
    private final LogLinearHistogram requests = new LogLinearHistogram();
    private final AtomicLongArray handshakeFailures = new AtomicLongArray(ROLES.length * REASONS.length);
    private final AtomicLongArray sessionsOpened = new AtomicLongArray(ROLES.length);
    /** Per role: index 0 counts clean ends, index 1 + ordinal each failure reason. */
    private final AtomicLongArray sessionsClosed = new AtomicLongArray(ROLES.length * (REASONS.length + 1));
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final Set<SecureSession> openSessions = ConcurrentHashMap.newKeySet();
    /** Keyed by role, verifier and detail code; a small set, since detail codes come from enums. */
    private final ConcurrentHashMap<AttestationRejection, LongAdder> attestationRejections = new ConcurrentHashMap<>();
    /** Groups: seal, write and open by size class (in {@link #SIZES} order), then handshakes, then requests. */
    private final RecentLatencies recent;

    /** Statistics from now on, with recent latencies on the system clock. */
    public SecureChannelMetrics() {
        this(Clock.SYSTEM);
    }

    /** As {@link #SecureChannelMetrics()}, with {@code clock} timing the recent latencies' window. */
    public SecureChannelMetrics(Clock clock) {
        LogLinearHistogram[][] groups = new LogLinearHistogram[3 * SIZES.length + 2][];
        LogLinearHistogram[][] operations = {seal, write, open};
        for (int operation = 0; operation < operations.length; operation++) {
            for (PayloadSizeClass size : SIZES) {
                groups[operation * SIZES.length + size.ordinal()] = ofSize(operations[operation], size);
            }
        }
        groups[3 * SIZES.length] = new LogLinearHistogram[] {handshakes};
        groups[3 * SIZES.length + 1] = new LogLinearHistogram[] {requests};
        recent = new RecentLatencies(clock, groups);
    }

    // ---------------------------------------------------------------- recording

    void handshakeCompleted(Role role, HandshakeTimings timings) {
        handshakes.record(timings.totalNanos());
        for (HandshakePhase phase : PHASES) {
            phases[phase.ordinal()].record(phase.nanos(timings));
        }
    }

    void handshakeFailed(Role role, FailureReason reason) {
        handshakeFailures.incrementAndGet(role.ordinal() * REASONS.length + reason.ordinal());
    }

    /** Counts a rejected attestation; true the first time this combination is seen. */
    boolean attestationRejected(Role role, String verifier, String detailCode) {
        boolean[] created = new boolean[1];
        attestationRejections.computeIfAbsent(new AttestationRejection(role, verifier, detailCode), key -> {
            created[0] = true;
            return new LongAdder();
        }).increment();
        return created[0];
    }

    void sessionOpened(SecureSession connection) {
        openSessions.add(connection);
        sessionsOpened.incrementAndGet(connection.role().ordinal());
    }

    void sessionClosed(SecureSession connection, CloseReason reason) {
        openSessions.remove(connection);
        sessionsClosed.incrementAndGet(closeIndex(connection.role(), reason));
    }

    void requestCompleted(long nanos) {
        requests.record(nanos);
    }

    /** The cell of a frame of {@code type} and {@code plaintextLength} bytes. */
    static int cell(FrameType type, int plaintextLength) {
        return type.ordinal() * SIZES.length + PayloadSizeClass.indexOf(plaintextLength);
    }

    void recordSeal(FrameType type, int plaintextLength, long nanos) {
        seal[cell(type, plaintextLength)].record(nanos);
        payloadOut.record(plaintextLength);
        bytesSent.add(plaintextLength);
    }

    void recordWrite(FrameType type, int plaintextLength, long nanos) {
        write[cell(type, plaintextLength)].record(nanos);
    }

    void recordOpen(FrameType type, int plaintextLength, long nanos) {
        open[cell(type, plaintextLength)].record(nanos);
        payloadIn.record(plaintextLength);
        bytesReceived.add(plaintextLength);
    }

    // For the publisher: the histograms behind the exported meters.

    /** Takes a snapshot for the recent latencies when one is due; the publisher calls it every tick. */
    void advanceRecent() {
        recent.advance();
    }

    LogLinearHistogram sealCell(int cell) {
        return seal[cell];
    }

    LogLinearHistogram writeCell(int cell) {
        return write[cell];
    }

    LogLinearHistogram openCell(int cell) {
        return open[cell];
    }

    PayloadHistogram payload(boolean out) {
        return out ? payloadOut : payloadIn;
    }

    // ---------------------------------------------------------------- reading

    /** Sessions open now, as observed (client and server side alike); a live, unmodifiable view. */
    public Collection<SecureSession> openSessions() {
        return Collections.unmodifiableSet(openSessions);
    }

    /** Sessions open now in {@code role}. */
    public long activeSessions(Role role) {
        return openSessions.stream().filter(connection -> connection.role() == role).count();
    }

    /** Sessions opened so far in {@code role}. */
    public long sessionsOpened(Role role) {
        return sessionsOpened.get(role.ordinal());
    }

    /** Sessions in {@code role} that ended for {@code reason} (a {@link CloseReason#clean()} end or a failure's). */
    public long sessionsClosed(Role role, CloseReason reason) {
        return sessionsClosed.get(closeIndex(role, reason));
    }

    /** Peers rejected in {@code role} by {@code verifier}'s check {@code detailCode}. */
    public long attestationRejections(Role role, String verifier, String detailCode) {
        LongAdder count = attestationRejections.get(new AttestationRejection(role, verifier, detailCode));
        return count == null ? 0 : count.sum();
    }

    /** Handshakes in {@code role} that failed for {@code reason}. */
    public long handshakeFailures(Role role, FailureReason reason) {
        return handshakeFailures.get(role.ordinal() * REASONS.length + reason.ordinal());
    }

    /** Plaintext bytes sealed and handed to transports so far. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Plaintext bytes opened so far. */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** Bytes waiting in the send queues of the open sessions: the backpressure now. */
    public long queuedBytes() {
        long queued = 0;
        for (SecureSession connection : openSessions) {
            queued += connection.queuedBytes();
        }
        return queued;
    }

    /** An immutable copy of everything recorded so far, both roles together. */
    public Snapshot snapshot() {
        Map<String, Long> closed = new LinkedHashMap<>();
        long opened = 0;
        for (Role role : ROLES) {
            opened += sessionsOpened.get(role.ordinal());
            for (int i = 0; i <= REASONS.length; i++) {
                long count = sessionsClosed.get(role.ordinal() * (REASONS.length + 1) + i);
                if (count > 0) {
                    closed.merge(i == 0 ? CloseReason.clean().tagValue() : REASONS[i - 1].tagValue(), count, Long::sum);
                }
            }
        }
        Map<String, Long> failures = new LinkedHashMap<>();
        long failed = 0;
        for (Role role : ROLES) {
            for (FailureReason reason : REASONS) {
                long count = handshakeFailures(role, reason);
                if (count > 0) {
                    failures.merge(reason.tagValue(), count, Long::sum);
                    failed += count;
                }
            }
        }
        Map<String, LatencySummary> phaseSummaries = new LinkedHashMap<>();
        for (HandshakePhase phase : PHASES) {
            phaseSummaries.put(phase.tagValue(), LogLinearHistogram.latency(phases[phase.ordinal()]));
        }
        Map<String, Long> rejections = new java.util.TreeMap<>();
        attestationRejections.forEach((key, count) -> rejections.merge(key.verifier() + "/" + key.detailCode(), count.sum(), Long::sum));
        LatencySummary handshakeLatency = LogLinearHistogram.latency(handshakes);
        return new Snapshot(
                new Sessions(openSessions.size(), opened, Collections.unmodifiableMap(closed)),
                new Handshakes(handshakeLatency.count(), failed, Collections.unmodifiableMap(failures),
                        Collections.unmodifiableMap(rejections), handshakeLatency, Collections.unmodifiableMap(phaseSummaries)),
                new Messages(operation(seal), operation(write), operation(open)),
                new Traffic(bytesReceived.sum(), bytesSent.sum()),
                LogLinearHistogram.latency(requests),
                recent(recent.read()));
    }

    private static Recent recent(RecentLatencies.Gains gains) {
        Operation[] operations = new Operation[3];
        for (int operation = 0; operation < operations.length; operation++) {
            Map<String, LatencySummary> sizes = new LinkedHashMap<>();
            int[] all = new int[SIZES.length];
            for (PayloadSizeClass size : SIZES) {
                all[size.ordinal()] = operation * SIZES.length + size.ordinal();
                sizes.put(size.tagValue(), gains.latency(all[size.ordinal()]));
            }
            operations[operation] = new Operation(gains.latency(all), Collections.unmodifiableMap(sizes));
        }
        return new Recent(Math.round(gains.windowNanos() / 1_000_000.0) / 1_000.0,
                new Messages(operations[0], operations[1], operations[2]),
                gains.latency(3 * SIZES.length), gains.latency(3 * SIZES.length + 1));
    }

    private static Operation operation(LogLinearHistogram[] cells) {
        Map<String, LatencySummary> sizes = new LinkedHashMap<>();
        for (PayloadSizeClass size : SIZES) {
            sizes.put(size.tagValue(), LogLinearHistogram.latency(ofSize(cells, size)));
        }
        return new Operation(LogLinearHistogram.latency(cells), Collections.unmodifiableMap(sizes));
    }

    /** The cells of every frame type in {@code size}. */
    private static LogLinearHistogram[] ofSize(LogLinearHistogram[] cells, PayloadSizeClass size) {
        LogLinearHistogram[] ofSize = new LogLinearHistogram[cells.length / SIZES.length];
        for (int type = 0; type < ofSize.length; type++) {
            ofSize[type] = cells[type * SIZES.length + size.ordinal()];
        }
        return ofSize;
    }

    private static int closeIndex(Role role, CloseReason reason) {
        FailureReason failure = reason.failure();
        return role.ordinal() * (REASONS.length + 1) + (failure == null ? 0 : failure.ordinal() + 1);
    }

    private static LogLinearHistogram[] histograms(int count) {
        LogLinearHistogram[] histograms = new LogLinearHistogram[count];
        for (int i = 0; i < count; i++) {
            histograms[i] = new LogLinearHistogram();
        }
        return histograms;
    }

    // ---------------------------------------------------------------- snapshot values

    /**
     * Everything recorded since start, both roles together, and the latencies of the last minute or so.
     *
     * @param sessions   session counts
     * @param handshakes handshake counts and latencies since start
     * @param messages   seal, write and open latencies since start
     * @param bytes      plaintext bytes each way
     * @param requests   client request-to-reply round trips since start
     * @param recent     the same latencies over the recent window only
     */
    public record Snapshot(Sessions sessions, Handshakes handshakes, Messages messages, Traffic bytes, LatencySummary requests,
                           Recent recent) {
    }

    /**
     * Latencies over a recent window only, so that a slow start (cold JIT, first connections)
     * ages out: what the totals gained since a snapshot of them taken every 15 seconds, between
     * one minute and 75 seconds ago. Counts, percentiles and maxima are of that window alone;
     * maxima are within 12.5%.
     *
     * @param windowSeconds the window these cover, in seconds: from the snapshot they are measured
     *                      against to now (shorter in the first minute after start)
     * @param messages      seal, write and open latencies in the window
     * @param handshakes    completed handshakes' durations in the window
     * @param requests      client request-to-reply round trips in the window
     */
    public record Recent(double windowSeconds, Messages messages, LatencySummary handshakes, LatencySummary requests) {
    }

    /**
     * Session counts, both roles together.
     *
     * @param active  open now
     * @param opened  opened since start
     * @param closed  ended since start, by close reason tag ({@code shutdown} for a clean end)
     */
    public record Sessions(long active, long opened, Map<String, Long> closed) {
    }

    /**
     * Handshake counts and latencies, both roles together.
     *
     * @param completed handshakes that established a session
     * @param failed    handshakes that failed, admission refusals included
     * @param failures  failed handshakes by failure reason tag
     * @param attestationRejections rejected peer attestations by {@code verifier/check} (for example
     *                  {@code sev-snp/debug-guest-rejected}), a finer view of {@code attestation-verification-failed}
     * @param latency   duration of completed handshakes, waiting on the peer included
     * @param phases    completed handshakes' time by phase tag
     */
    public record Handshakes(long completed, long failed, Map<String, Long> failures, Map<String, Long> attestationRejections,
                             LatencySummary latency,
                             Map<String, LatencySummary> phases) {
    }

    /**
     * Per-message latencies.
     *
     * @param seal  sealing Data and Tensor frames, the seal alone
     * @param write handing sealed Data and Tensor frames to the transport (its write or enqueue)
     * @param open  opening received frames of every type
     */
    public record Messages(Operation seal, Operation write, Operation open) {
    }

    /**
     * One operation's latencies, overall and per payload size class.
     *
     * @param overall every frame
     * @param bySize  frames by payload size class tag
     */
    public record Operation(LatencySummary overall, Map<String, LatencySummary> bySize) {
    }

    /**
     * Plaintext bytes each way.
     *
     * @param in  plaintext bytes opened
     * @param out plaintext bytes sealed
     */
    public record Traffic(long in, long out) {
    }

    private record AttestationRejection(Role role, String verifier, String detailCode) {
    }
}
