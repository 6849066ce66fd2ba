package dev.securechannel.bench.capacity;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.bench.LeastSquares;
import dev.securechannel.bench.NamedArguments;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures what one server instance holds and how fast it admits, on each stack:
 * <ol>
 *   <li><b>idle sessions</b>: a server with a 1 GiB heap in its own JVM, sessions opened in
 *       steps up to a target (10,000 by default) and left idle, the server's heap after a full
 *       collection and its direct memory sampled at each step; the slope is the memory per idle
 *       session, and a sample of the sessions must still answer at the end;</li>
 *   <li><b>handshakes per second</b>: clients connecting, handshaking, exchanging one echo and
 *       closing in a loop, with mock attestation and with the server verifying every client's
 *       evidence as a real SEV-SNP report with cached collateral; besides the rate (clients and
 *       server share the machine), the server's CPU time per handshake;</li>
 *   <li><b>past the limits</b>: a server with small {@code max-sessions} and
 *       {@code max-pending-handshakes}; one session more, and one handshake more, must be
 *       refused with 1013 while every established session keeps answering.</li>
 * </ol>
 * Writes {@code capacity.md} into the output directory.
 *
 * <pre>
 * bench/run-capacity.sh --stacks=servlet,jetty,reactive --sessions=10000
 * </pre>
 */
public final class CapacityRun {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The first data payload of a session, numbered as the soak's echo server expects. */
    private static final byte[] PING = sequence(0);

    private CapacityRun() {
    }

    /**
     * What a capacity run measures.
     *
     * @param stacks           the server stacks, in order
     * @param sessions         idle sessions to open on each stack
     * @param step             sessions between memory samples
     * @param handshakeTime    how long each handshake rate is measured (after a fifth as much warm-up)
     * @param handshakeClients concurrent connecting clients
     * @param out              where {@code capacity.md} and the servers' logs go
     */
    public record Options(List<String> stacks, int sessions, int step, Duration handshakeTime, int handshakeClients, Path out) {

        static Options parse(String... args) {
            NamedArguments given = NamedArguments.parse(args, List.of("stacks", "sessions", "step", "handshake-seconds",
                    "handshake-clients", "out"), "; options: --stacks=servlet,jetty,reactive --sessions=10000 --step=1000"
                    + " --handshake-seconds=20 --handshake-clients=8 --out=bench/target/capacity");
            return new Options(
                    given.get("stacks", List.of("servlet", "jetty", "reactive"), stacks -> List.of(stacks.split(","))),
                    given.get("sessions", 10_000, Integer::parseInt),
                    given.get("step", 1_000, Integer::parseInt),
                    given.get("handshake-seconds", Duration.ofSeconds(20), seconds -> Duration.ofSeconds(Long.parseLong(seconds))),
                    given.get("handshake-clients", 8, Integer::parseInt),
                    given.get("out", Path.of("bench/target/capacity"), Path::of));
        }
    }

    /** Idle sessions on one stack: memory per session and whether the target fit. */
    public record IdleSessions(String stack, int target, int opened, String firstFailure, int answered, int checked,
                               double heapPerSession, double directPerSession, long baselineHeap, long heapAtTarget,
                               long sessionsPerGibExtrapolated) {
    }

    /** Handshakes per second on one stack with one verifier. */
    public record HandshakeRate(String stack, String verifier, long handshakes, double seconds, double perSecond, double p50Millis,
                                double p99Millis, double serverCpuMillisPerHandshake, long failures) {
    }

    /** What one session over {@code max-sessions} and one handshake over {@code max-pending-handshakes} met. */
    public record Limits(String stack, int maxSessions, int maxPending, String overSessions, int answeringAtMaxSessions,
                         String overPending, int answeringAtMaxPending, int establishedAtMaxPending, String afterPendingFreed) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.out());
        List<IdleSessions> idle = new ArrayList<>();
        List<HandshakeRate> rates = new ArrayList<>();
        List<Limits> limits = new ArrayList<>();
        for (String stack : options.stacks()) {
            idle.add(idleSessions(stack, options));
            System.out.println(idle.get(idle.size() - 1));
            for (String verifier : List.of("mock", "sev-snp")) {
                rates.add(handshakeRate(stack, verifier, options));
                System.out.println(rates.get(rates.size() - 1));
            }
            limits.add(limits(stack, options));
            System.out.println(limits.get(limits.size() - 1));
        }
        String report = CapacityReport.markdown(idle, rates, limits, options);
        Files.writeString(options.out().resolve("capacity.md"), report);
        System.out.println(report);
    }

    static IdleSessions idleSessions(String stack, Options options) throws Exception {
        try (ServerProcess server = new ServerProcess(stack, options.sessions() + 100, 256, "mock", "1g",
                options.out().resolve("server-idle-" + stack + ".log"));
             SecureChannelClient client = client(server.port())) {
            List<ClientSession> sessions = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<String> failure = new AtomicReference<>();
            List<double[]> points = new ArrayList<>();
            Map<String, Long> baseline = server.sample();
            points.add(point(0, baseline));
            while (sessions.size() < options.sessions() && failure.get() == null) {
                int next = Math.min(options.step(), options.sessions() - sessions.size());
                open(client, next, sessions, failure);
                points.add(point(sessions.size(), server.sample()));
                System.out.printf(Locale.ROOT, "%s: %,d idle sessions, server heap %,.1f MiB%n", stack, sessions.size(),
                        points.get(points.size() - 1)[1] / (1024 * 1024));
            }
            Map<String, Long> atTarget = server.sample();
            int checked = Math.min(200, sessions.size());
            int answered = 0;
            for (int i = 0; i < checked; i++) {
                ClientSession session = sessions.get(i * sessions.size() / checked);
                if (session.request(PING, TIMEOUT) instanceof Message.Data) {
                    answered++;
                }
            }
            List<Double> held = column(points, 0);
            double heapSlope = LeastSquares.slope(held, column(points, 1));
            double directSlope = LeastSquares.slope(held, column(points, 2));
            long perGib = heapSlope <= 0 ? -1 : (long) ((1024L * 1024 * 1024 - baseline.get("heap")) / heapSlope);
            sessions.forEach(ClientSession::close);
            return new IdleSessions(stack, options.sessions(), sessions.size(), failure.get(), answered, checked, heapSlope, directSlope,
                    baseline.get("heap"), atTarget.get("heap"), perGib);
        }
    }

    static HandshakeRate handshakeRate(String stack, String verifier, Options options) throws Exception {
        try (ServerProcess server = new ServerProcess(stack, 10_000, 256, verifier, "1g",
                options.out().resolve("server-handshakes-" + stack + "-" + verifier + ".log"));
             SecureChannelClient client = client(server.port())) {
            connectLoop(client, options.handshakeClients(), options.handshakeTime().dividedBy(5));
            long cpuBefore = server.sample().get("cpu_ns");
            long start = System.nanoTime();
            Loop loop = connectLoop(client, options.handshakeClients(), options.handshakeTime());
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = server.sample().get("cpu_ns") - cpuBefore;
            long[] latencies = loop.latencies();
            Arrays.sort(latencies);
            return new HandshakeRate(stack, verifier, latencies.length, seconds, latencies.length / seconds,
                    percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6,
                    latencies.length == 0 ? 0 : cpu / 1e6 / latencies.length, loop.failures());
        }
    }

    static Limits limits(String stack, Options options) throws Exception {
        int maxSessions = 100;
        int maxPending = 8;
        try (ServerProcess server = new ServerProcess(stack, maxSessions, maxPending, "mock", "256m",
                options.out().resolve("server-limits-" + stack + ".log"));
             SecureChannelClient client = client(server.port())) {
            List<ClientSession> sessions = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<String> failure = new AtomicReference<>();
            open(client, maxSessions, sessions, failure);
            if (failure.get() != null) {
                throw new IllegalStateException("could not open " + maxSessions + " sessions: " + failure.get());
            }
            String overSessions = outcomeOfOneMore(client);
            int answering = answering(sessions, 0);
            // Make room for sessions, then fill the handshake slots with connections that upgrade and never say hello.
            for (int i = 0; i < maxPending + 1; i++) {
                sessions.remove(sessions.size() - 1).close();
            }
            awaitSessions(server, maxSessions - maxPending - 1);
            List<StalledHandshake> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < maxPending; i++) {
                    stalled.add(new StalledHandshake(server.port()));
                }
                awaitPending(server, maxPending);
                String overPending = outcomeOfOneMore(client);
                int answeringAtMaxPending = answering(sessions, 1);
                stalled.forEach(StalledHandshake::close);
                awaitPending(server, 0);
                String afterFreed = outcomeOfOneMore(client);
                return new Limits(stack, maxSessions, maxPending, overSessions, answering, overPending, answeringAtMaxPending,
                        sessions.size(), afterFreed);
            } finally {
                stalled.forEach(StalledHandshake::close);
                sessions.forEach(ClientSession::close);
            }
        }
    }

    /** Connects once more and says what happened: "opened" (and closes it) or the failure. */
    private static String outcomeOfOneMore(SecureChannelClient client) {
        try (ClientSession session = client.connect()) {
            return session.request(PING, TIMEOUT) instanceof Message.Data ? "opened" : "opened, no answer";
        } catch (Exception e) {
            return "refused: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** How many of {@code sessions} answer their {@code round}-th request (counting from 0). */
    private static int answering(List<ClientSession> sessions, long round) throws InterruptedException {
        int answering = 0;
        for (ClientSession session : sessions) {
            try {
                if (session.request(sequence(round), TIMEOUT) instanceof Message.Data) {
                    answering++;
                }
            } catch (IOException | RuntimeException e) {
                // Counted as not answering.
            }
        }
        return answering;
    }

    private static void awaitSessions(ServerProcess server, int sessions) throws Exception {
        await(server, "sessions", sessions);
    }

    private static void awaitPending(ServerProcess server, int pending) throws Exception {
        await(server, "pending", pending);
    }

    private static void await(ServerProcess server, String figure, long value) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long now;
        while ((now = server.sample().get(figure)) != value) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("server " + figure + " stayed at " + now + ", expected " + value);
            }
            Thread.sleep(50);
        }
    }

    /** Opens {@code count} sessions on four threads; the first failure stops the rest. */
    private static void open(SecureChannelClient client, int count, List<ClientSession> into, AtomicReference<String> failure)
            throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    while (failure.get() == null && left.getAndDecrement() > 0) {
                        try {
                            into.add(client.connect());
                        } catch (Exception e) {
                            failure.compareAndSet(null, "after " + into.size() + " sessions: " + e);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private record Loop(long[] latencies, long failures) {
    }

    /** Clients connecting, exchanging one echo and closing, back to back, for {@code time}. */
    private static Loop connectLoop(SecureChannelClient client, int clients, Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < clients; t++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try (ClientSession session = client.connect()) {
                        session.request(PING, TIMEOUT);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        pool.shutdown();
        long[] all = new long[0];
        for (Future<long[]> future : futures) {
            long[] some = future.get();
            int from = all.length;
            all = Arrays.copyOf(all, from + some.length);
            System.arraycopy(some, 0, all, from, some.length);
        }
        return new Loop(all, failures.get());
    }

    private static SecureChannelClient client(int port) {
        SessionConfig config = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .handshakeTimeout(TIMEOUT)
                .build();
        return SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"), config)
                .connector(new ReactorNettyWebSocketConnector()).retryPolicy(RetryPolicy.none()).build();
    }

    /** The {@code n}-th data payload of a session (from 0), as the soak's echo server numbers them. */
    private static byte[] sequence(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    private static double[] point(int sessions, Map<String, Long> sample) {
        return new double[] {sessions, sample.get("heap"), sample.get("direct") + sample.get("netty_direct")};
    }

    private static List<Double> column(List<double[]> points, int index) {
        return points.stream().map(point -> point[index]).toList();
    }

    private static double percentile(long[] sorted, double fraction) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(fraction * sorted.length))];
    }
}
