package dev.securechannel.bench;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.bench.endpoint.BurstDrain;
import dev.securechannel.bench.endpoint.Bursts;
import dev.securechannel.bench.endpoint.EchoPeer;
import dev.securechannel.bench.endpoint.MessageEndpoint;
import dev.securechannel.bench.endpoint.PlaintextFrameEndpoint;
import dev.securechannel.bench.endpoint.SecureMessageEndpoint;
import dev.securechannel.handshake.ExtensionMode;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.session.SecureChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The secure channel over {@link InMemoryDuplex} (the reference's in-process setting) against a
 * plaintext baseline with the same framing and the same transport but no cryptography
 * ({@link PlaintextFrameEndpoint}). These are the figures of the Transport Performance Report
 * ({@code bench/run-report.sh}).
 *
 * <p><b>Threads.</b> The benchmark thread is the client. The peer runs on a second thread, as a
 * server would: it echoes ({@link #roundTrip}), drains ({@link #oneWay}) or accepts
 * ({@link #handshake}); every message crosses threads through the duplex's queues, so each
 * measurement includes the wake-ups a real server pays. The TLS competitor ({@link TlsBenchmark},
 * {@code transport=engine}) uses the same duplex and the same thread layout.
 *
 * <p><b>What is measured</b> (sampled time per operation in microseconds, so the report gets
 * JMH's p50/p95/p99 and the raw histogram for a confidence interval):
 * <ul>
 *   <li>{@link #roundTrip}: steady-state round trip on an established connection: send one
 *       message of {@code size} bytes, the peer receives it and sends it back, receive it.
 *       {@code mode=secure} seals and opens twice (client and peer); {@code mode=plain}
 *       encodes and decodes the same frames unencrypted.</li>
 *   <li>{@link #oneWay}: sustained one-way throughput: one operation is one burst of the
 *       reference's size ({@link Bursts#messagesPerBurst}: 682 x 1,536 B, 256 x 4 KiB,
 *       2 x 384 KiB, 1 x 1 MiB), from the first send until the peer has received (and opened)
 *       the last message, signalled in-process ({@link BurstDrain}). Bytes/s is
 *       {@code size * burst / time}.</li>
 *   <li>{@link #handshake}, {@link #handshakePooledKeys}: a full handshake with mock attestation
 *       over a fresh duplex: {@code SecureChannel.connect} here, {@code SecureChannel.accept} on
 *       a persistent accept thread, both sessions established, then both closed; ephemeral keys
 *       generated inline (the starter's default), or taken from an {@link EphemeralKeyPool}
 *       (what {@code secure-channel.key-pool.enabled=true} turns on).</li>
 * </ul>
 *
 * <p>Each {@code @Setup} checks what it set up before anything is timed: echoes equal the
 * payload, a drained burst arrives complete and byte-identical, handshakes yield working
 * sessions. Forks pre-touch a 2 GiB heap backed by transparent huge pages, for the reason given
 * in {@link RecordBenchmark}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
public class InMemoryTransportBenchmark {

    /** The {@code aead} parameter for AES-256-GCM. */
    static final String AES_256_GCM = "aes-256-gcm";
    /** The {@code aead} parameter for ChaCha20-Poly1305. */
    static final String CHACHA20_POLY1305 = "chacha20-poly1305";

    /** Connects {client, server} over a fresh duplex: the channel (accepted on {@code acceptor}) or the plaintext framing. */
    static MessageEndpoint[] connectPair(String mode, SessionConfig config, ExecutorService acceptor) throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        return switch (mode) {
            case "secure" -> {
                Future<SecureChannel> server = acceptor.submit(() -> SecureChannel.accept(duplex.second(), config));
                SecureChannel client = SecureChannel.connect(duplex.first(), config);
                yield new MessageEndpoint[] {new SecureMessageEndpoint(client), new SecureMessageEndpoint(server.get(30, TimeUnit.SECONDS))};
            }
            case "plain" -> new MessageEndpoint[] {new PlaintextFrameEndpoint(duplex.first()), new PlaintextFrameEndpoint(duplex.second())};
            default -> throw new IllegalArgumentException("mode must be secure or plain: " + mode);
        };
    }

    static ExecutorService daemonExecutor(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Mock attestation, development profile, ephemeral keys from {@code pool}. */
    static SessionConfig developmentConfigWithKeyPool(SecureRandom random, EphemeralKeyPool pool) {
        return SessionConfigInternals.ephemeralKeys(SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .secureRandom(random), pool)
                .build();
    }

    /**
     * The development configuration that makes a secure channel use {@code aead}: both sides
     * offer AES-256-GCM by default (PROTOCOL.md section 8.2), so ChaCha20-Poly1305 means turning
     * it off. Key update stays negotiated, as by default.
     */
    static SessionConfig configFor(String aead) {
        SessionConfig.Builder builder = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier());
        switch (aead) {
            case AES_256_GCM -> builder.aes256Gcm(ExtensionMode.REQUIRE);
            case CHACHA20_POLY1305 -> builder.aes256Gcm(ExtensionMode.OFF);
            default -> throw new IllegalArgumentException("aead must be " + AES_256_GCM + " or " + CHACHA20_POLY1305 + ": " + aead);
        }
        return builder.build();
    }

    /** Checks that a secure pair really runs {@code aead}. */
    static void requireAead(String mode, MessageEndpoint endpoint, String aead) {
        if (mode.equals("secure") && endpoint instanceof SecureMessageEndpoint secure) {
            RecordAlgorithm negotiated = RecordAlgorithm.of(BlockingSecureChannel.recordSession(secure.channel()).handshake().extensions());
            RecordBenchmark.require(negotiated == (aead.equals(AES_256_GCM) ? RecordAlgorithm.AES_256_GCM
                    : RecordAlgorithm.CHACHA20_POLY1305), "negotiated " + negotiated + " for aead=" + aead);
        }
    }

    static byte[] payload(int size) {
        return RecordBenchmark.bytes(new SplittableRandom(size), size);
    }

    /** An established connection whose peer echoes every message. */
    @State(Scope.Benchmark)
    public static class RoundTrip {

        /** secure: the channel; plain: the same frames unencrypted. */
        @Param({"secure", "plain"})
        public String mode;

        /** Message size in bytes: an embedding, a page, a hidden state (the reference's three). */
        @Param({"1536", "4096", "393216"})
        public int size;

        /** The record AEAD of a secure channel: AES-256-GCM (negotiated by default) or ChaCha20-Poly1305 (base version 4). */
        @Param({AES_256_GCM, CHACHA20_POLY1305})
        public String aead;

        MessageEndpoint client;
        byte[] payload;
        private EchoPeer echo;

        /** Connects, starts the echo thread and checks that echoes come back intact. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            ExecutorService acceptor = daemonExecutor("bench-acceptor");
            try {
                MessageEndpoint[] pair = connectPair(mode, configFor(aead), acceptor);
                requireAead(mode, pair[0], aead);
                client = pair[0];
                echo = EchoPeer.start(pair[1], "bench-echo");
            } finally {
                acceptor.shutdown();
            }
            payload = payload(size);
            for (int i = 0; i < 3; i++) {
                client.send(payload);
                RecordBenchmark.require(Arrays.equals(client.receive(), payload), "echo equals payload (" + mode + ", " + size + " B)");
            }
        }

        /** Closes both ends; fails the trial if the echo thread had failed. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            Throwable failure = echo.failure();
            client.close();
            echo.close();
            RecordBenchmark.require(failure == null, "echo thread healthy: " + failure);
        }
    }

    /** An established connection whose peer drains bursts. */
    @State(Scope.Benchmark)
    public static class OneWay {

        /** secure: the channel; plain: the same frames unencrypted. */
        @Param({"secure", "plain"})
        public String mode;

        /** Message size in bytes; the burst length follows from it ({@link Bursts#messagesPerBurst}). */
        @Param({"1536", "4096", "393216", "1048576"})
        public int size;

        /** The record AEAD of a secure channel: AES-256-GCM (negotiated by default) or ChaCha20-Poly1305 (base version 4). */
        @Param({AES_256_GCM, CHACHA20_POLY1305})
        public String aead;

        MessageEndpoint client;
        byte[] payload;
        int burst;
        BurstDrain drain;

        /** Connects, starts the drain thread and checks that one whole burst arrives intact. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            burst = Bursts.messagesPerBurst(size);
            ExecutorService acceptor = daemonExecutor("bench-acceptor");
            try {
                MessageEndpoint[] pair = connectPair(mode, configFor(aead), acceptor);
                requireAead(mode, pair[0], aead);
                client = pair[0];
                drain = BurstDrain.start(pair[1], burst, "bench-drain");
            } finally {
                acceptor.shutdown();
            }
            payload = payload(size);
            drain.verifyAgainst(payload);
            drain.sendBurstAndAwait(client, payload);
            drain.verifyAgainst(null);
            RecordBenchmark.require(drain.mismatches() == 0, "drained messages equal the payload");
            RecordBenchmark.require(drain.bytesReceived() == (long) size * burst, "whole burst received");
        }

        /** Closes both ends. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.close();
            drain.close();
        }
    }

    /** Session configurations, the key pool and the persistent accept thread. */
    @State(Scope.Benchmark)
    public static class Handshakes {

        SessionConfig freshKeys;
        SessionConfig pooledKeys;
        ExecutorService acceptor;
        private EphemeralKeyPool pool;

        /** Builds both configurations and checks one handshake of each with a message each way. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            SecureRandom random = new SecureRandom();
            freshKeys = SessionConfig.insecureDevelopment();
            pool = EphemeralKeyPool.start(64, random);
            pooledKeys = developmentConfigWithKeyPool(random, pool);
            acceptor = daemonExecutor("bench-acceptor");
            byte[] ping = payload(16);
            for (SessionConfig config : new SessionConfig[] {freshKeys, pooledKeys}) {
                MessageEndpoint[] pair = connectPair("secure", config, acceptor);
                pair[0].send(ping);
                RecordBenchmark.require(Arrays.equals(pair[1].receive(), ping), "client to server after the handshake");
                pair[1].send(ping);
                RecordBenchmark.require(Arrays.equals(pair[0].receive(), ping), "server to client after the handshake");
                pair[0].close();
                pair[1].close();
            }
        }

        /** Stops the accept thread and the pool. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            acceptor.shutdownNow();
            acceptor.awaitTermination(5, TimeUnit.SECONDS);
            pool.close();
        }
    }

    /** Send one message, the peer echoes it, receive it. */
    @Benchmark
    public byte[] roundTrip(RoundTrip state) throws Exception {
        state.client.send(state.payload);
        return state.client.receive();
    }

    /** One burst, timed until the peer has received all of it. */
    @Benchmark
    public void oneWay(OneWay state) throws Exception {
        state.drain.sendBurstAndAwait(state.client, state.payload);
    }

    /**
     * Sustained streaming: as {@link #oneWay}, but the next burst is sent while the peer still
     * drains the previous one (at most two bursts in flight), as a stream of uploads runs. In
     * steady state one operation costs the slower side (sealing here, opening on the peer's
     * thread) instead of their sum.
     */
    @Benchmark
    public void oneWayStreaming(Streaming state) throws Exception {
        state.drain.sendBurst(state.client, state.payload);
        if (++state.inFlight > 1) {
            state.drain.awaitBurst();
            state.inFlight--;
        }
    }

    /** {@link OneWay}'s connection, with the count of bursts not yet drained. */
    public static class Streaming extends OneWay {

        int inFlight;

        /** Lets the peer drain what is still in flight, so that every iteration starts empty. */
        @TearDown(Level.Iteration)
        public void settle() throws Exception {
            while (inFlight > 0) {
                drain.awaitBurst();
                inFlight--;
            }
        }
    }

    /** A full mock-attested handshake, ephemeral keys generated inline. */
    @Benchmark
    public void handshake(Handshakes state, Blackhole blackhole) throws Exception {
        handshake(state.freshKeys, state.acceptor, blackhole);
    }

    /** A full mock-attested handshake, ephemeral keys from the pool. */
    @Benchmark
    public void handshakePooledKeys(Handshakes state, Blackhole blackhole) throws Exception {
        handshake(state.pooledKeys, state.acceptor, blackhole);
    }

    private static void handshake(SessionConfig config, ExecutorService acceptor, Blackhole blackhole) throws Exception {
        MessageEndpoint[] pair = connectPair("secure", config, acceptor);
        blackhole.consume(pair);
        pair[0].close();
        pair[1].close();
    }
}
