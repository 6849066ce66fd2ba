package dev.securechannel.bench.soak;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.bench.NamedArguments;
import dev.securechannel.bench.websocket.ServerStack;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A soak of the secure channel: a real server on one {@link ServerStack} and many clients in
 * one JVM for a given time, sessions opening and closing at random, payloads of random size up
 * to the frame cap, tensors and heartbeats, and clients vanishing mid-handshake and
 * mid-message. Every few seconds it samples heap after GC, direct memory, threads, file
 * descriptors, live sessions and the server's connection registry, and writes them to
 * {@code soak.csv}, {@code soak.svg} and {@code soak-summary.md}.
 *
 * <p>It fails (exit status 1) when a request on a direct session is not answered with what was
 * sent, a relayed client fails with anything but a typed error, the server sees a data message
 * twice or out of order, any watched series grows over the run by more than its allowance
 * ({@link GrowthCheck}), or the server still holds connections after the clients stopped.
 *
 * <pre>
 * bench/run-soak.sh --duration=10m --stack=servlet --clients=8
 * </pre>
 */
public final class SoakRun {

    /** How long the last workers may take to finish their request after the run ends. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(90);
    /** How long the server may take to let go of every connection once the clients stopped. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private static final List<String> OPTION_NAMES = List.of("duration", "stack", "clients", "sample-every", "max-frame-size",
            "vanish", "seed", "out");
    private static final String USAGE = "; options: --duration=10m (s, m, h), --stack=servlet|jetty|reactive, --clients=8,"
            + " --sample-every=5s, --max-frame-size=1048576, --vanish=0.15, --seed=N, --out=bench/target/soak";

    private SoakRun() {
    }

    /**
     * What a soak runs.
     *
     * @param duration     how long the clients churn
     * @param stack        the server stack: servlet (Tomcat), jetty or reactive (Reactor Netty)
     * @param clients      concurrent simulated clients
     * @param sampleEvery  time between samples
     * @param maxFrameSize the server's {@code secure-channel.max-frame-size}; payloads go up to it
     * @param vanishShare  the share of sessions opened through the cutting relay
     * @param seed         seed of the clients' random choices
     * @param out          where the CSV, plot and summary go
     */
    public record Options(Duration duration, String stack, int clients, Duration sampleEvery, int maxFrameSize,
                          double vanishShare, long seed, Path out) {

        static Options defaults() {
            return new Options(Duration.ofMinutes(10), "servlet", 8, Duration.ofSeconds(5), 1024 * 1024, 0.15,
                    System.nanoTime(), Path.of("bench/target/soak"));
        }

        /** Options from {@code --name=value} arguments over {@link #defaults()}. */
        static Options parse(String... args) {
            Options defaults = defaults();
            NamedArguments given = NamedArguments.parse(args, OPTION_NAMES, USAGE);
            return new Options(
                    given.get("duration", defaults.duration, SoakRun::parseDuration),
                    given.get("stack", defaults.stack, stack -> ServerStack.of(stack).param()),
                    given.get("clients", defaults.clients, Integer::parseInt),
                    given.get("sample-every", defaults.sampleEvery, SoakRun::parseDuration),
                    given.get("max-frame-size", defaults.maxFrameSize, Integer::parseInt),
                    given.get("vanish", defaults.vanishShare, Double::parseDouble),
                    given.get("seed", defaults.seed, Long::parseLong),
                    given.get("out", defaults.out, Path::of));
        }

        /** Samples before this are the warm-up, left out of the growth checks: a fifth of the run, at most 5 minutes. */
        Duration warmUp() {
            Duration fifth = duration.dividedBy(5);
            return fifth.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : fifth;
        }

    }

    /** What a soak found: the verdicts, the counters and whether it passed, with the reasons if not. */
    public record Result(List<GrowthCheck.Verdict> verdicts, List<String> failures, double[] last) {

        public boolean passed() {
            return failures.isEmpty();
        }

        /** The last sample's value of a CSV column. */
        public double last(String column) {
            return last[ResourceSampler.COLUMNS.indexOf(column)];
        }
    }

    /** Runs a soak from the command line; exit status 0 when it passed, 1 when not, 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result result = run(options, System.out::println);
        System.exit(result.passed() ? 0 : 1);
    }

    /** Runs a soak, reporting progress to {@code log}. */
    public static Result run(Options options, Consumer<String> log) throws Exception {
        Files.createDirectories(options.out());
        ServerStack stack = ServerStack.of(options.stack());
        try (ConfigurableApplicationContext server = startServer(stack, options.maxFrameSize())) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            ConnectionRegistry registry = server.getBean(ConnectionRegistry.class);
            SoakServerApplication.Tally tally = server.getBean(SoakServerApplication.Tally.class);
            SplittableRandom cuts = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
            try (CuttingRelay relay = new CuttingRelay(port, () -> cutPoint(cuts, options.maxFrameSize()))) {
                return churn(options, log, port, registry, tally, relay);
            }
        }
    }

    private static Result churn(Options options, Consumer<String> log, int port, ConnectionRegistry registry,
                                SoakServerApplication.Tally tally, CuttingRelay relay) throws Exception {
        long start = System.nanoTime();
        ChurnWorker.Counters counters = new ChurnWorker.Counters();
        ResourceSampler sampler = new ResourceSampler(registry, tally, relay, counters, start);
        AtomicBoolean stopping = new AtomicBoolean();
        List<SecureChannelClient> clients = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        log.accept(String.format(Locale.ROOT, "soak: %s for %s, %d clients, payloads up to %,d bytes, %.0f%% of sessions vanish; output in %s",
                options.stack(), options.duration(), options.clients(), options.maxFrameSize(), options.vanishShare() * 100, options.out()));
        try {
            SecureChannelClient[] jdk = {client(port, null), client(relay.port(), null)};
            SecureChannelClient[] netty = {client(port, new ReactorNettyWebSocketConnector()), client(relay.port(), new ReactorNettyWebSocketConnector())};
            clients.addAll(List.of(jdk[0], jdk[1], netty[0], netty[1]));
            int maxPayload = options.maxFrameSize() - 1024;
            for (int i = 0; i < options.clients(); i++) {
                SecureChannelClient[] pair = i % 2 == 0 ? jdk : netty;
                Thread worker = new Thread(new ChurnWorker(pair[0], pair[1], options.vanishShare(), maxPayload, options.seed() + i,
                        counters, stopping::get), "soak-client-" + i);
                workers.add(worker);
                worker.start();
            }
            long end = start + options.duration().toNanos();
            while (System.nanoTime() < end) {
                samples.add(sampler.sample());
                log.accept(progress(samples.get(samples.size() - 1)));
                Thread.sleep(Math.max(0, Math.min(options.sampleEvery().toMillis(), (end - System.nanoTime()) / 1_000_000)));
            }
            samples.add(sampler.sample());
        } finally {
            stopping.set(true);
            for (Thread worker : workers) {
                worker.join(WIND_DOWN.toMillis());
            }
            clients.forEach(SecureChannelClient::close);
        }
        List<String> failures = new ArrayList<>();
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                failures.add(worker.getName() + " still running " + WIND_DOWN.toSeconds() + " s after the end: a request hangs");
            }
        }
        double[] drained = awaitDrained(sampler, registry, relay, counters);
        if (drained[ResourceSampler.COLUMNS.indexOf("server_registry")] != 0
                || drained[ResourceSampler.COLUMNS.indexOf("client_sessions")] != 0
                || drained[ResourceSampler.COLUMNS.indexOf("relay_connections")] != 0) {
            failures.add("connections left " + DRAIN.toSeconds() + " s after the clients stopped: " + progress(drained));
        }
        List<GrowthCheck.Verdict> verdicts = judge(options, samples);
        verdicts.stream().filter(verdict -> !verdict.bounded()).forEach(verdict -> failures.add("grows: " + verdict.describe()));
        if (counters.failures.get() > 0) {
            failures.add(counters.failures.get() + " failed requests or sessions; the first: " + counters.firstFailure);
        }
        if (tally.orderViolations.get() > 0) {
            failures.add(tally.orderViolations.get() + " data messages reached the server twice or out of order");
        }
        if (counters.requestsAnswered.get() == 0) {
            failures.add("no request was answered: the soak did not run");
        }
        SoakReport.write(options, samples, drained, verdicts, failures);
        log.accept(SoakReport.summary(options, drained, verdicts, failures));
        return new Result(verdicts, failures, drained);
    }

    private static double[] awaitDrained(ResourceSampler sampler, ConnectionRegistry registry, CuttingRelay relay,
                                         ChurnWorker.Counters counters) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline
                && (!registry.connections().isEmpty() || counters.clientSessionsOpen.get() != 0 || relay.liveConnections() != 0)) {
            Thread.sleep(100);
        }
        return sampler.sample();
    }

    static List<GrowthCheck.Verdict> judge(Options options, List<double[]> samples) {
        double mib = 1024 * 1024;
        List<GrowthCheck> checks = List.of(
                new GrowthCheck("heap_after_gc_bytes", 32 * mib, 0.25),
                new GrowthCheck("direct_bytes", 16 * mib, 0.25),
                new GrowthCheck("netty_direct_bytes", 16 * mib, 0.25),
                new GrowthCheck("threads", 16, 0),
                new GrowthCheck("open_fds", 64, 0),
                new GrowthCheck("server_sessions", options.clients(), 0),
                new GrowthCheck("server_registry", options.clients(), 0),
                new GrowthCheck("server_pending_handshakes", options.clients(), 0),
                new GrowthCheck("client_sessions", options.clients(), 0),
                new GrowthCheck("relay_connections", options.clients(), 0));
        List<Double> seconds = column(samples, "elapsed_s");
        double warmUp = options.warmUp().toMillis() / 1000.0;
        return checks.stream().map(check -> check.judge(seconds, column(samples, check.series()), warmUp)).collect(Collectors.toList());
    }

    static List<Double> column(List<double[]> samples, String name) {
        int index = ResourceSampler.COLUMNS.indexOf(name);
        return samples.stream().map(row -> row[index]).collect(Collectors.toList());
    }

    private static String progress(double[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            String name = ResourceSampler.COLUMNS.get(i);
            double value = name.endsWith("_bytes") ? row[i] / (1024 * 1024) : row[i];
            line.append(i == 0 ? "" : " ").append(name.replace("_bytes", "_mib")).append('=')
                    .append(String.format(Locale.ROOT, i == 0 || name.endsWith("_bytes") ? "%.1f" : "%.0f", value));
        }
        return line.toString();
    }

    /** Where a relayed client vanishes: log-uniform from the upgrade request's first bytes to a few frames into the session. */
    private static int cutPoint(SplittableRandom random, int maxFrameSize) {
        double exponent = random.nextDouble() * Math.log(4.0 * maxFrameSize);
        return (int) Math.max(1, Math.round(Math.exp(exponent)));
    }

    private static SecureChannelClient client(int port, WebSocketConnector connector) {
        SessionConfig config = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .handshakeTimeout(Duration.ofSeconds(10))
                .build();
        SecureChannelClient.Builder builder = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"), config)
                .retryPolicy(RetryPolicy.none());
        return (connector == null ? builder : builder.connector(connector)).build();
    }

    private static ConfigurableApplicationContext startServer(ServerStack stack, int maxFrameSize) {
        // Vanishing clients are the point of the run: the servers' per-connection warnings would flood an hour's log.
        return stack.start(List.of("server.port=0", "spring.main.banner-mode=off", "logging.level.root=error",
                "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                "secure-channel.max-frame-size=" + maxFrameSize, "secure-channel.handshake-timeout=10s"), SoakServerApplication.class);
    }

    /** Parses {@code 90s}, {@code 10m}, {@code 2h}, {@code 500ms} or an ISO-8601 duration. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.parse(text);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (use 90s, 10m, 2h or 500ms)");
        }
    }
}
