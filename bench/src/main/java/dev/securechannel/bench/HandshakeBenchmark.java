package dev.securechannel.bench;

import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One full mock-attested handshake (PROTOCOL.md section 2), both sides, per operation.
 *
 * <p><b>What is measured</b> (sampled time per handshake, microseconds, with percentiles):
 * <ul>
 *   <li>{@link #sansIo}: both state machines driven in one thread, no transport:
 *       {@code new HandshakeInitiator/Responder} (each generates an X25519 pair and a nonce),
 *       {@code initiator.start() -> responder.start(); responder.onFrame(hello1) ->
 *       initiator.onFrame(hello2) -> responder.onFrame(confirmation)}. This is pure CPU work
 *       (2 key generations, 2 X25519 agreements, 2 mock attestations and verifications,
 *       transcripts, HKDF, 4 record ciphers) and the number to compare with the Rust
 *       reference's in-process 168 us. Target: under 250 us on JDK 25.</li>
 *   <li>{@link #channelInMemory}: the blocking API, {@code SecureChannel.connect} on the
 *       benchmark thread and {@code SecureChannel.accept} on a second, persistent thread (a
 *       single-thread executor reused for every handshake), over a fresh {@link InMemoryDuplex}.
 *       Adds what a real server adds: the hand-off to the accept thread and three cross-thread
 *       frame hand-offs (park/unpark wake-ups), plus {@code RecordSession} construction and
 *       close. The CPU work of the two sides can overlap on the machine's two cores only where
 *       the protocol allows it (it mostly does not: each message waits for the previous).</li>
 *   <li>{@link #sansIoPooledKeys}, {@link #channelInMemoryPooledKeys}: the same with ephemeral
 *       keys taken from an {@link EphemeralKeyPool} (refilled by a background thread) through
 *       {@code SessionConfigInternals.ephemeralKeys(builder, pool)}, to measure what moving key
 *       generation off the critical path buys. Pool hits and misses are printed at tear-down.</li>
 * </ul>
 *
 * <p>{@code @Setup} runs each variant once and checks that both sides agree on the session id
 * and that a Data frame sealed by one side opens on the other. At tear-down it prints the
 * core's own {@link HandshakeTimings} breakdown, averaged over the last measured iteration.
 *
 * <p>Forks pre-touch a 2 GiB heap backed by transparent huge pages
 * ({@code -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}): on virtual machines whose memory
 * the host backs lazily (balloon, free-page reporting) the first touch of each 4 KiB heap page
 * costs about 15 us, and without pre-touch every allocating benchmark measured page faults
 * (up to 50x slower) until the young generation had been touched once.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class HandshakeBenchmark {

    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private SessionConfig config;
    private SessionConfig pooledConfig;
    private EphemeralKeyPool pool;
    /** The pool's counters after the checked warm-up runs, so that only measured handshakes are reported. */
    private long hitsBefore;
    private long missesBefore;
    private ExecutorService acceptor;
    /** Sums of the core's {@link HandshakeTimings} over the current iteration: initiator then responder, 4 fields each. */
    private final long[] timingSums = new long[8];
    private long timedHandshakes;

    /** Configurations, the key pool and the persistent accept thread; then one checked run of each variant. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        config = SessionConfig.insecureDevelopment();
        SecureRandom random = new SecureRandom();
        pool = EphemeralKeyPool.start(64, random);
        pooledConfig = InMemoryTransportBenchmark.developmentConfigWithKeyPool(random, pool);
        acceptor = InMemoryTransportBenchmark.daemonExecutor("bench-acceptor");

        for (SessionConfig each : new SessionConfig[] {config, pooledConfig}) {
            HandshakeResult[] results = handshake(each);
            checkSessionPair(results[0], results[1]);
            SecureChannel[] channels = channels(each);
            checkChannelPair(channels[0], channels[1]);
        }
        hitsBefore = pool.hits();
        missesBefore = pool.misses();
    }

    /** Starts each iteration's timing breakdown afresh. */
    @Setup(Level.Iteration)
    public void resetTimings() {
        Arrays.fill(timingSums, 0);
        timedHandshakes = 0;
    }

    /** Prints pool statistics and the last iteration's timing breakdown, then stops the threads. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.printf("%n[pool] hits=%d misses=%d%n", pool.hits() - hitsBefore, pool.misses() - missesBefore);
        printTimingBreakdown();
        acceptor.shutdownNow();
        acceptor.awaitTermination(5, TimeUnit.SECONDS);
        pool.close();
    }

    /** Sans-IO handshake, both sides in this thread, keys generated inline. */
    @Benchmark
    public HandshakeResult[] sansIo() {
        return record(handshake(config));
    }

    /** Sans-IO handshake with ephemeral keys from the background-filled pool. */
    @Benchmark
    public HandshakeResult[] sansIoPooledKeys() {
        return record(handshake(pooledConfig));
    }

    /** {@code SecureChannel.connect/accept} over an in-memory duplex, accept side on the persistent second thread. */
    @Benchmark
    public void channelInMemory(Blackhole blackhole) throws Exception {
        SecureChannel[] channels = channels(config);
        record(BlockingSecureChannel.recordSession(channels[0]).handshake(), BlockingSecureChannel.recordSession(channels[1]).handshake());
        blackhole.consume(channels);
        channels[0].close();
        channels[1].close();
    }

    /** {@link #channelInMemory} with ephemeral keys from the pool. */
    @Benchmark
    public void channelInMemoryPooledKeys(Blackhole blackhole) throws Exception {
        SecureChannel[] channels = channels(pooledConfig);
        record(BlockingSecureChannel.recordSession(channels[0]).handshake(), BlockingSecureChannel.recordSession(channels[1]).handshake());
        blackhole.consume(channels);
        channels[0].close();
        channels[1].close();
    }

    /** The four-step sans-IO drive: returns {initiator result, responder result}. */
    static HandshakeResult[] handshake(SessionConfig config) {
        HandshakeInitiator initiator = new HandshakeInitiator(config);
        HandshakeResponder responder = new HandshakeResponder(config);
        byte[] hello1 = Objects.requireNonNull(initiator.start());
        responder.start(); // the responder sends nothing first, but must leave the NEW state
        HandshakeStep hello2 = responder.onFrame(hello1);
        HandshakeStep confirmation = initiator.onFrame(Objects.requireNonNull(hello2.reply()));
        HandshakeStep established = responder.onFrame(Objects.requireNonNull(confirmation.reply()));
        return new HandshakeResult[] {
            Objects.requireNonNull(confirmation.result()), Objects.requireNonNull(established.result())};
    }

    private SecureChannel[] channels(SessionConfig sessionConfig) throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        Future<SecureChannel> server = acceptor.submit(() -> SecureChannel.accept(duplex.second(), sessionConfig));
        SecureChannel client = SecureChannel.connect(duplex.first(), sessionConfig);
        return new SecureChannel[] {client, server.get()};
    }

    private static void checkSessionPair(HandshakeResult initiator, HandshakeResult responder) {
        RecordBenchmark.require(Arrays.equals(initiator.sessionId(), responder.sessionId()), "session ids agree");
        byte[] frame = initiator.sealing().seal(FrameType.DATA, PING);
        byte[] opened = responder.opening().open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH));
        RecordBenchmark.require(Arrays.equals(opened, PING), "initiator -> responder frame opens");
        frame = responder.sealing().seal(FrameType.DATA, PING);
        opened = initiator.opening().open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH));
        RecordBenchmark.require(Arrays.equals(opened, PING), "responder -> initiator frame opens");
    }

    private static void checkChannelPair(SecureChannel client, SecureChannel server) throws Exception {
        client.send(PING);
        Message received = server.receive();
        RecordBenchmark.require(received instanceof Message.Data data && Arrays.equals(data.payload(), PING), "channel data");
        server.send(PING);
        received = client.receive();
        RecordBenchmark.require(received instanceof Message.Data data && Arrays.equals(data.payload(), PING), "channel reply");
        client.close();
        server.close();
    }

    /** Adds the core's own timings of one handshake (a few additions, negligible next to the handshake). */
    private HandshakeResult[] record(HandshakeResult... results) {
        add(timingSums, 0, results[0].timings());
        add(timingSums, 4, results[1].timings());
        timedHandshakes++;
        return results;
    }

    private void printTimingBreakdown() {
        long n = Math.max(1, timedHandshakes);
        long[] t = timingSums;
        System.out.printf("[timings: core's HandshakeTimings, mean of the last iteration's %d handshakes, us;"
                + " total excludes key generation in the constructor]%n", timedHandshakes);
        System.out.printf("  initiator: attest %.1f  verify %.1f  keys %.1f  total %.1f%n",
                t[0] / 1e3 / n, t[1] / 1e3 / n, t[2] / 1e3 / n, t[3] / 1e3 / n);
        System.out.printf("  responder: attest %.1f  verify %.1f  keys %.1f  total %.1f%n",
                t[4] / 1e3 / n, t[5] / 1e3 / n, t[6] / 1e3 / n, t[7] / 1e3 / n);
    }

    private static void add(long[] sums, int offset, HandshakeTimings timings) {
        sums[offset] += timings.attestNanos();
        sums[offset + 1] += timings.verifyPeerNanos();
        sums[offset + 2] += timings.keyDerivationNanos();
        sums[offset + 3] += timings.totalNanos();
    }
}
