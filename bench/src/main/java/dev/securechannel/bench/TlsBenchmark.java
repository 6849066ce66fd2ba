package dev.securechannel.bench;

import dev.securechannel.bench.endpoint.BurstDrain;
import dev.securechannel.bench.endpoint.Bursts;
import dev.securechannel.bench.endpoint.EchoPeer;
import dev.securechannel.bench.endpoint.EngineTlsEndpoint;
import dev.securechannel.bench.endpoint.MessageEndpoint;
import dev.securechannel.bench.endpoint.SelfSignedTls;
import dev.securechannel.bench.endpoint.SocketTlsEndpoint;
import dev.securechannel.internal.transport.InMemoryDuplex;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
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
 * The competitor: the JDK's own TLS 1.3, measured the way {@link InMemoryTransportBenchmark}
 * measures the secure channel, so the report can put the two side by side.
 *
 * <p><b>Setup.</b> TLS 1.3 only, one cipher suite per trial ({@code suite}: ChaCha20-Poly1305,
 * the channel's base AEAD, or AES-128-GCM, which most TLS deployments negotiate), key exchange x25519
 * (forced with {@code -Djdk.tls.namedGroups=x25519}, the channel's key agreement), a self-signed
 * ECDSA P-256 certificate generated in memory at setup and a client trust manager pinned to it
 * ({@link SelfSignedTls}). Server authentication only (the channel authenticates both sides,
 * with mock attestation here). Every handshake is full: no resumption, which the pinned trust
 * manager's check count proves at setup and tear-down.
 *
 * <p><b>Transports</b> ({@code transport}):
 * <ul>
 *   <li>{@code engine}: two {@code SSLEngine}s over the same {@link InMemoryDuplex} the secure
 *       channel uses, one per thread: the client on the benchmark thread, the server on a second
 *       thread (accept thread for handshakes, echo or drain thread afterwards), exactly the
 *       layout of {@link InMemoryTransportBenchmark} ({@link EngineTlsEndpoint}).</li>
 *   <li>{@code socket}: {@code SSLSocket}s over loopback TCP with {@code TCP_NODELAY}, the
 *       server side on a second thread; messages carry a 4-byte length prefix
 *       ({@link SocketTlsEndpoint}). Handshakes here include the TCP connect and accept.</li>
 * </ul>
 *
 * <p><b>What is measured</b> (sampled time per operation, microseconds):
 * <ul>
 *   <li>{@link #handshake}: a fresh connection and a full TLS 1.3 handshake, both sides
 *       finished, then both closed (without close_notify for engines).</li>
 *   <li>{@link #roundTrip}: send {@code size} bytes, the peer echoes, receive them.</li>
 *   <li>{@link #oneWay}: one burst of {@link Bursts#messagesPerBurst} messages, timed until the
 *       peer has received all of them.</li>
 * </ul>
 * Each {@code @Setup} checks echoes, bursts and handshakes before anything is timed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch",
        "-Djdk.tls.namedGroups=x25519"})
public class TlsBenchmark {

    /** The channel's AEAD. */
    public static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";
    /** The suite most TLS 1.3 connections negotiate (AES-NI). */
    public static final String AES_128_GCM = "TLS_AES_128_GCM_SHA256";

    /**
     * What every trial needs: TLS contexts for the suite, an accept thread and, for sockets, a
     * loopback server socket.
     */
    static final class Fixture implements AutoCloseable {

        final SelfSignedTls tls;
        final String transport;
        private final ExecutorService acceptor = InMemoryTransportBenchmark.daemonExecutor("bench-tls-acceptor");
        private final SSLServerSocket serverSocket;

        Fixture(String suite, String transport) throws Exception {
            this.tls = SelfSignedTls.create(suite);
            this.transport = transport;
            switch (transport) {
                case "engine" -> serverSocket = null;
                case "socket" -> {
                    serverSocket = (SSLServerSocket) tls.serverContext().getServerSocketFactory()
                            .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
                    tls.configure(serverSocket);
                }
                default -> throw new IllegalArgumentException("transport must be engine or socket: " + transport);
            }
        }

        /** A new connection after a full handshake: {client, server}. */
        MessageEndpoint[] connect() throws Exception {
            if (serverSocket == null) {
                InMemoryDuplex duplex = InMemoryDuplex.create();
                Future<EngineTlsEndpoint> server = acceptor.submit(() -> EngineTlsEndpoint.handshake(tls.serverEngine(), duplex.second()));
                EngineTlsEndpoint client = EngineTlsEndpoint.handshake(tls.clientEngine(), duplex.first());
                return new MessageEndpoint[] {client, server.get(30, TimeUnit.SECONDS)};
            }
            Future<SocketTlsEndpoint> server = acceptor.submit(() -> {
                SSLSocket accepted = (SSLSocket) serverSocket.accept();
                accepted.setTcpNoDelay(true);
                accepted.startHandshake();
                return new SocketTlsEndpoint(accepted);
            });
            SSLSocket client = (SSLSocket) tls.clientContext().getSocketFactory().createSocket();
            client.setTcpNoDelay(true);
            tls.configure(client);
            client.connect(serverSocket.getLocalSocketAddress(), 10_000);
            client.startHandshake();
            return new MessageEndpoint[] {new SocketTlsEndpoint(client), server.get(30, TimeUnit.SECONDS)};
        }

        /** The bytes to send for a payload: as is over engines, length-prefixed over sockets. */
        byte[] message(byte[] payload) {
            return serverSocket == null ? payload : SocketTlsEndpoint.frame(payload);
        }

        @Override
        public void close() throws IOException {
            acceptor.shutdownNow();
            if (serverSocket != null) {
                serverSocket.close(); // also ends an accept the acceptor may still be blocked in
            }
        }
    }

    /** A connection setup per operation. */
    @State(Scope.Benchmark)
    public static class Handshakes {

        /** The only cipher suite enabled. */
        @Param({CHACHA20, AES_128_GCM})
        public String suite;

        /** engine: SSLEngines over InMemoryDuplex; socket: loopback SSLSockets. */
        @Param({"engine", "socket"})
        public String transport;

        Fixture fixture;
        long handshakes;
        private long checksBefore;

        /** Builds the fixture and checks three handshakes: each full, each connection working. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new Fixture(suite, transport);
            byte[] ping = fixture.message(InMemoryTransportBenchmark.payload(16));
            for (int i = 0; i < 3; i++) {
                long checks = fixture.tls.serverCertificateChecks();
                MessageEndpoint[] pair = fixture.connect();
                RecordBenchmark.require(fixture.tls.serverCertificateChecks() == checks + 1, "a full handshake (certificate checked)");
                pair[0].send(ping);
                RecordBenchmark.require(Arrays.equals(pair[1].receive(), ping), "client to server after the handshake");
                pair[1].send(ping);
                RecordBenchmark.require(Arrays.equals(pair[0].receive(), ping), "server to client after the handshake");
                pair[0].close();
                pair[1].close();
                // Reading made the client take the server's session ticket; the measured
                // handshakes never read, so they never store one, but these must not leave one.
                fixture.tls.forgetClientSessions();
            }
            checksBefore = fixture.tls.serverCertificateChecks();
            handshakes = 0;
        }

        /** Checks that every measured handshake was full, then closes the fixture. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            long checks = fixture.tls.serverCertificateChecks() - checksBefore;
            fixture.close();
            RecordBenchmark.require(checks == handshakes,
                    "every handshake was full: " + handshakes + " handshakes, " + checks + " certificate checks");
        }
    }

    /** An established connection whose peer echoes. */
    @State(Scope.Benchmark)
    public static class RoundTrip {

        /** The only cipher suite enabled. */
        @Param({CHACHA20, AES_128_GCM})
        public String suite;

        /** engine: SSLEngines over InMemoryDuplex; socket: loopback SSLSockets. */
        @Param({"engine", "socket"})
        public String transport;

        /** Payload bytes (over sockets, plus the 4-byte length prefix). */
        @Param({"1536", "4096", "393216"})
        public int size;

        MessageEndpoint client;
        byte[] message;
        private Fixture fixture;
        private EchoPeer echo;

        /** Connects, starts the echo thread and checks that echoes come back intact. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new Fixture(suite, transport);
            MessageEndpoint[] pair = fixture.connect();
            client = pair[0];
            echo = EchoPeer.start(pair[1], "bench-tls-echo");
            message = fixture.message(InMemoryTransportBenchmark.payload(size));
            long fallbacks = 0;
            for (int i = 0; i < 3; i++) {
                // The first exchange teaches the engine endpoints the record layout; later ones must not copy.
                fallbacks = EngineTlsEndpoint.fallbacks();
                client.send(message);
                RecordBenchmark.require(Arrays.equals(client.receive(), message), "echo equals payload (" + transport + ", " + size + " B)");
            }
            RecordBenchmark.require(EngineTlsEndpoint.fallbacks() == fallbacks, "engine records in the learned layout (no copying fallback)");
        }

        /** Closes the connection; fails the trial if the echo thread had failed. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            Throwable failure = echo.failure();
            client.close();
            echo.close();
            fixture.close();
            RecordBenchmark.require(failure == null, "echo thread healthy: " + failure);
        }
    }

    /** An established connection whose peer drains bursts. */
    @State(Scope.Benchmark)
    public static class OneWay {

        /** The only cipher suite enabled. */
        @Param({CHACHA20, AES_128_GCM})
        public String suite;

        /** engine: SSLEngines over InMemoryDuplex; socket: loopback SSLSockets. */
        @Param({"engine", "socket"})
        public String transport;

        /** Payload bytes per message; the burst length follows ({@link Bursts#messagesPerBurst}). */
        @Param({"1536", "4096", "393216", "1048576"})
        public int size;

        MessageEndpoint client;
        byte[] message;
        int burst;
        BurstDrain drain;
        private Fixture fixture;

        /** Connects, starts the drain thread and checks that one whole burst arrives intact. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new Fixture(suite, transport);
            burst = Bursts.messagesPerBurst(size);
            MessageEndpoint[] pair = fixture.connect();
            client = pair[0];
            drain = BurstDrain.start(pair[1], burst, "bench-tls-drain");
            message = fixture.message(InMemoryTransportBenchmark.payload(size));
            drain.verifyAgainst(message);
            drain.sendBurstAndAwait(client, message);
            // The first burst teaches the engine endpoints the record layout; the second must not copy.
            long fallbacks = EngineTlsEndpoint.fallbacks();
            drain.sendBurstAndAwait(client, message);
            drain.verifyAgainst(null);
            RecordBenchmark.require(drain.mismatches() == 0, "drained messages equal the payload");
            RecordBenchmark.require(drain.bytesReceived() == 2L * message.length * burst, "whole bursts received");
            RecordBenchmark.require(EngineTlsEndpoint.fallbacks() == fallbacks, "engine records in the learned layout (no copying fallback)");
        }

        /** Closes the connection. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.close();
            drain.close();
            fixture.close();
        }
    }

    /** A fresh connection with a full TLS 1.3 handshake, then closed. */
    @Benchmark
    public void handshake(Handshakes state, Blackhole blackhole) throws Exception {
        MessageEndpoint[] pair = state.fixture.connect();
        state.handshakes++;
        blackhole.consume(pair);
        pair[0].close();
        pair[1].close();
    }

    /** Send one message, the peer echoes it, receive it. */
    @Benchmark
    public byte[] roundTrip(RoundTrip state) throws IOException {
        state.client.send(state.message);
        return state.client.receive();
    }

    /** One burst, timed until the peer has received all of it. */
    @Benchmark
    public void oneWay(OneWay state) throws Exception {
        state.drain.sendBurstAndAwait(state.client, state.message);
    }
}
