package dev.securechannel.bench.report;

import dev.securechannel.bench.endpoint.Bursts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The report's figures for one JDK, picked out of that JDK's JMH results by benchmark name and
 * parameters. A figure the results do not contain is null (the report says "not measured").
 *
 * @param feature          the JDK's feature release (17, 25)
 * @param jdkVersion       its full version
 * @param vm               VM name and version
 * @param jvm              the java executable
 * @param handshakes       the secure channel's handshakes: keys generated inline, then pooled, then with SEV-SNP verification when measured
 * @param roundTrips       in-memory round trips, unpinned, by size
 * @param pinnedRoundTrips in-memory round trips of the CPU-pinned run, by size (empty if none)
 * @param throughput       in-memory one-way bursts, by size
 * @param tls              the JDK TLS 1.3 competitor, by suite and transport
 * @param webSocket        loopback WebSocket pairs, by stack, client and benchmark
 * @param settings         JMH settings by benchmark class, as run
 * @param jvmArgs          the forked JVMs' arguments, as run
 * @param streaming        in-memory one-way bursts with the next burst sent while the previous drains, by size
 * @param pinnedWebSocket  loopback WebSocket round trips of the CPU-pinned run, by stack and client (empty if none)
 */
public record JdkFigures(int feature, String jdkVersion, String vm, String jvm,
                         List<HandshakeRow> handshakes, List<RoundTripRow> roundTrips, List<RoundTripRow> pinnedRoundTrips,
                         List<ThroughputRow> throughput, List<TlsRow> tls, List<WebSocketRow> webSocket,
                         Map<String, Set<String>> settings, Set<String> jvmArgs, List<ThroughputRow> streaming,
                         List<WebSocketRow> pinnedWebSocket) {

    static final String IN_MEMORY = "InMemoryTransportBenchmark";
    static final String TLS = "TlsBenchmark";
    static final String WEB_SOCKET = "WebSocketBenchmark";
    static final String SEV_SNP = "SevSnpHandshakeBenchmark";
    static final String WEB_SOCKET_HANDSHAKE = "WebSocketHandshakeBenchmark";
    static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";
    static final String AES_128_GCM = "TLS_AES_128_GCM_SHA256";
    static final String ENGINE = "engine";
    static final String SOCKET = "socket";
    /** The WebSocket benchmark's methods: us per 1,536 B round trip, and us per 1 MiB message each way. */
    static final List<String> WEB_SOCKET_BENCHMARKS = List.of("roundTrip1536", "upload1MiB", "download1MiB");
    /** Bytes per operation of the WebSocket throughput benchmarks (scores are per 1 MiB message). */
    static final long WEB_SOCKET_MESSAGE_BYTES = 1024 * 1024;
    /**
     * The server behind each value of WebSocketBenchmark's {@code stack} parameter, in the order
     * the report lists them. {@code servlet} predates Jetty and means Tomcat.
     */
    static final Map<String, String> WEB_SOCKET_SERVERS = orderedMap("servlet", "Tomcat", "jetty", "Jetty", "reactive", "Reactor Netty");
    /** The WebSocket client library behind each value of the {@code client} parameter, in the report's order. */
    static final Map<String, String> WEB_SOCKET_CLIENTS = orderedMap("jdk", "JDK", "netty", "Reactor Netty");

    /** One handshake variant. */
    public record HandshakeRow(String key, String label, @Nullable Figure latency) {
    }

    /**
     * Round trip of one payload size, secure against plaintext.
     *
     * @param size   payload bytes
     * @param plain  the plaintext baseline
     * @param secure the secure channel
     */
    public record RoundTripRow(int size, @Nullable Figure plain, @Nullable Figure secure) {

        /** How much longer the secure round trip takes, in percent of the plaintext one (NaN if either is missing). */
        public double overheadPercent() {
            return plain == null || secure == null ? Double.NaN : (secure.p50Micros() / plain.p50Micros() - 1) * 100;
        }
    }

    /**
     * One-way bursts of one message size, secure against plaintext; the figures are times per burst.
     *
     * @param size   bytes per message
     * @param burst  messages per burst
     * @param plain  the plaintext baseline
     * @param secure the secure channel
     */
    public record ThroughputRow(int size, int burst, @Nullable Figure plain, @Nullable Figure secure) {

        /** Bytes per burst. */
        public long burstBytes() {
            return (long) size * burst;
        }

        /** Plaintext bytes per second at the median, NaN if not measured. */
        public double plainBytesPerSecond() {
            return plain == null ? Double.NaN : plain.bytesPerSecond(burstBytes());
        }

        /** Secure bytes per second at the median, NaN if not measured. */
        public double secureBytesPerSecond() {
            return secure == null ? Double.NaN : secure.bytesPerSecond(burstBytes());
        }

        /** The share of plaintext throughput the channel loses, in percent (NaN if either is missing). */
        public double overheadPercent() {
            return (1 - secureBytesPerSecond() / plainBytesPerSecond()) * 100;
        }
    }

    /**
     * JDK TLS 1.3 with one suite over one transport.
     *
     * @param suite      the cipher suite
     * @param transport  {@code engine} (SSLEngines over the in-memory duplex) or {@code socket} (loopback)
     * @param handshake  a full handshake
     * @param roundTrips round trips by payload size
     * @param oneWay     one-way bursts by message size (times per burst)
     */
    public record TlsRow(String suite, String transport, @Nullable Figure handshake,
                         Map<Integer, Figure> roundTrips, Map<Integer, Figure> oneWay) {

        /** Bytes per second of one message size's bursts at the median, NaN if not measured. */
        public double oneWayBytesPerSecond(int size) {
            Figure figure = oneWay.get(size);
            return figure == null ? Double.NaN : figure.bytesPerSecond((long) size * Bursts.messagesPerBurst(size));
        }
    }

    /**
     * One WebSocket benchmark on one stack and client, secure against plain; times are per
     * message (per 1 MiB message for the throughput benchmarks).
     *
     * @param stack     the {@code stack} parameter: servlet (Tomcat), jetty or reactive (Reactor Netty)
     * @param client    the {@code client} parameter: jdk or netty
     * @param benchmark roundTrip1536, upload1MiB or download1MiB
     * @param plain     plain binary WebSocket
     * @param secure    the secure channel on the same connector
     */
    public record WebSocketRow(String stack, String client, String benchmark, @Nullable Figure plain, @Nullable Figure secure) {

        /** The server the stack runs on (Tomcat, Jetty, Reactor Netty), or the parameter itself for a stack the report does not know. */
        public String server() {
            return WEB_SOCKET_SERVERS.getOrDefault(stack, stack);
        }

        /** The client library (JDK, Reactor Netty), or the parameter itself for a client the report does not know. */
        public String clientLibrary() {
            return WEB_SOCKET_CLIENTS.getOrDefault(client, client);
        }

        /** Server and client in words, for example "Jetty server, JDK client". */
        public String pair() {
            return server() + " server, " + clientLibrary() + " client";
        }

        /** Secure time over plain time (NaN if either is missing). */
        public double secureOverPlain() {
            return plain == null || secure == null ? Double.NaN : secure.p50Micros() / plain.p50Micros();
        }

        /** Whether the benchmark moves 1 MiB messages one way. */
        public boolean isThroughput() {
            return !benchmark.startsWith("roundTrip");
        }

        /** Bytes per second of the secure side (throughput benchmarks only), NaN otherwise or if missing. */
        public double secureBytesPerSecond() {
            return !isThroughput() || secure == null ? Double.NaN : secure.bytesPerSecond(WEB_SOCKET_MESSAGE_BYTES);
        }

        /** Bytes per second of the plain side (throughput benchmarks only), NaN otherwise or if missing. */
        public double plainBytesPerSecond() {
            return !isThroughput() || plain == null ? Double.NaN : plain.bytesPerSecond(WEB_SOCKET_MESSAGE_BYTES);
        }
    }

    /** The handshake the targets and the side-by-side use: inline keys (the starter's default) when measured, else pooled keys. */
    public @Nullable HandshakeRow primaryHandshake() {
        HandshakeRow fallback = null;
        for (HandshakeRow row : handshakes) {
            if (row.latency() != null) {
                if (row.key().equals("fresh-keys")) {
                    return row;
                }
                if (row.key().equals("pooled-keys")) {
                    fallback = row;
                }
            }
        }
        return fallback;
    }

    /** The in-memory round trip of a size, unpinned, or null. */
    public @Nullable RoundTripRow roundTrip(int size) {
        return roundTrips.stream().filter(row -> row.size() == size).findFirst().orElse(null);
    }

    /** The in-memory bursts of a message size, or null. */
    public @Nullable ThroughputRow throughputOf(int size) {
        return throughput.stream().filter(row -> row.size() == size).findFirst().orElse(null);
    }

    /** The streaming one-way row of a size, or null. */
    public @Nullable ThroughputRow streamingOf(int size) {
        return streaming.stream().filter(row -> row.size() == size).findFirst().orElse(null);
    }

    /**
     * The stack and client with the shortest secure time for one WebSocket benchmark, or null
     * when no secure figure was measured: the combination to pick for that kind of traffic.
     */
    public @Nullable WebSocketRow fastestSecureWebSocket(String benchmark) {
        return webSocket.stream().filter(row -> row.benchmark().equals(benchmark) && row.secure() != null)
                .min(Comparator.comparingDouble(row -> row.secure().p50Micros())).orElse(null);
    }

    /** The stack and client with the longest secure time for one WebSocket benchmark, or null when none was measured. */
    public @Nullable WebSocketRow slowestSecureWebSocket(String benchmark) {
        return webSocket.stream().filter(row -> row.benchmark().equals(benchmark) && row.secure() != null)
                .max(Comparator.comparingDouble(row -> row.secure().p50Micros())).orElse(null);
    }

    /** The TLS figures of a suite and transport, or null. */
    public @Nullable TlsRow tlsOf(String suite, String transport) {
        return tls.stream().filter(row -> row.suite().equals(suite) && row.transport().equals(transport)).findFirst().orElse(null);
    }

    /** Picks this JDK's figures out of its results (all of one JDK feature release). */
    public static JdkFigures from(List<JmhResult> results) {
        JmhResult first = results.get(0);
        List<JmhResult> unpinned = results.stream().filter(result -> !result.pinned()).toList();
        List<JmhResult> pinned = results.stream().filter(JmhResult::pinned).toList();

        List<HandshakeRow> handshakes = List.of(
                new HandshakeRow("fresh-keys", "secure-channel, keys generated inline (the starter's default), in memory",
                        figure(unpinned, result -> result.is(IN_MEMORY, "handshake"))),
                new HandshakeRow("pooled-keys", "secure-channel, keys from the pool (`secure-channel.key-pool.enabled=true`), in memory",
                        figure(unpinned, result -> result.is(IN_MEMORY, "handshakePooledKeys"))),
                new HandshakeRow("sev-snp-handshake", "secure-channel, both sides also verifying a real SEV-SNP report (sans-IO, pooled keys)",
                        figure(unpinned, result -> result.is(SEV_SNP, "handshakeVerifyingGenoaReport"))),
                new HandshakeRow("sev-snp-verify", "SEV-SNP verification alone: a real Genoa report, chain, CRL, policy",
                        figure(unpinned, result -> result.is(SEV_SNP, "verifyGenoaReport"))))
                .stream().filter(row -> row.latency() != null || !row.key().startsWith("sev-snp")).collect(Collectors.toCollection(ArrayList::new));
        handshakes.addAll(webSocketHandshakes(unpinned));

        List<ThroughputRow> throughput = new ArrayList<>();
        for (int size : sizes(unpinned, IN_MEMORY, "oneWay")) {
            throughput.add(new ThroughputRow(size, Bursts.messagesPerBurst(size),
                    figure(unpinned, result -> result.is(IN_MEMORY, "oneWay", "mode", "plain", "size", String.valueOf(size))),
                    figure(unpinned, result -> result.is(IN_MEMORY, "oneWay", "mode", "secure", "size", String.valueOf(size)))));
        }

        List<ThroughputRow> streaming = new ArrayList<>();
        for (int size : sizes(unpinned, IN_MEMORY, "oneWayStreaming")) {
            streaming.add(new ThroughputRow(size, Bursts.messagesPerBurst(size),
                    figure(unpinned, result -> result.is(IN_MEMORY, "oneWayStreaming", "mode", "plain", "size", String.valueOf(size))),
                    figure(unpinned, result -> result.is(IN_MEMORY, "oneWayStreaming", "mode", "secure", "size", String.valueOf(size)))));
        }

        List<TlsRow> tls = new ArrayList<>();
        Set<String> suites = new TreeSet<>((a, b) -> suiteOrder(a) != suiteOrder(b) ? suiteOrder(a) - suiteOrder(b) : a.compareTo(b));
        unpinned.stream().filter(result -> result.className().equals(TLS) && result.param("suite") != null)
                .forEach(result -> suites.add(result.param("suite")));
        for (String suite : suites) {
            for (String transport : List.of(ENGINE, SOCKET)) {
                Predicate<JmhResult> ofThis = result -> result.className().equals(TLS)
                        && suite.equals(result.param("suite")) && transport.equals(result.param("transport"));
                if (unpinned.stream().noneMatch(ofThis)) {
                    continue;
                }
                tls.add(new TlsRow(suite, transport,
                        figure(unpinned, ofThis.and(result -> result.method().equals("handshake"))),
                        figuresBySize(unpinned, ofThis.and(result -> result.method().equals("roundTrip"))),
                        figuresBySize(unpinned, ofThis.and(result -> result.method().equals("oneWay")))));
            }
        }

        List<WebSocketRow> webSocket = webSocketRows(unpinned);
        List<WebSocketRow> pinnedWebSocket = webSocketRows(pinned);

        Map<String, Set<String>> settings = new TreeMap<>();
        Set<String> jvmArgs = new LinkedHashSet<>();
        for (JmhResult result : results) {
            settings.computeIfAbsent(result.className() + (result.pinned() ? " (pinned)" : ""), key -> new TreeSet<>()).add(result.settings());
            jvmArgs.add(String.join(" ", result.jvmArgs()));
        }

        return new JdkFigures(first.jdkFeature(), first.jdkVersion(), first.vm(), first.jvm(), handshakes,
                roundTrips(unpinned), roundTrips(pinned), throughput, tls, webSocket, settings, jvmArgs, streaming, pinnedWebSocket);
    }

    /** The WebSocket rows of {@code results}: stacks and clients in the report's order, then any others. */
    private static List<WebSocketRow> webSocketRows(List<JmhResult> results) {
        List<WebSocketRow> rows = new ArrayList<>();
        Set<String> stacks = new TreeSet<>(inOrderOf(WEB_SOCKET_SERVERS));
        Set<String> clients = new TreeSet<>(inOrderOf(WEB_SOCKET_CLIENTS));
        results.stream().filter(result -> result.className().equals(WEB_SOCKET)).forEach(result -> {
            stacks.add(String.valueOf(result.param("stack")));
            clients.add(String.valueOf(result.param("client")));
        });
        for (String stack : stacks) {
            for (String client : clients) {
                addWebSocketRows(results, stack, client, rows);
            }
        }
        return rows;
    }

    /**
     * The handshakes over loopback WebSocket ({@value #WEB_SOCKET_HANDSHAKE}): per server and
     * client, the secure channel (new connection, handshake, first echo) and then the plain
     * WebSocket baseline (new connection, first echo). Only measured combinations appear.
     */
    private static List<HandshakeRow> webSocketHandshakes(List<JmhResult> results) {
        List<HandshakeRow> rows = new ArrayList<>();
        for (Map.Entry<String, String> server : WEB_SOCKET_SERVERS.entrySet()) {
            for (Map.Entry<String, String> client : WEB_SOCKET_CLIENTS.entrySet()) {
                for (String mode : List.of("secure", "plain")) {
                    Figure latency = figure(results, result -> result.is(WEB_SOCKET_HANDSHAKE, "connectAndEcho",
                            "stack", server.getKey(), "client", client.getKey(), "mode", mode));
                    if (latency == null) {
                        continue;
                    }
                    String what = mode.equals("secure")
                            ? "secure-channel over loopback WebSocket: new connection, handshake, first 1 B echo"
                            : "plain WebSocket over loopback: new connection, first 1 B echo";
                    rows.add(new HandshakeRow("websocket-" + mode + "-" + server.getKey() + "-" + client.getKey(),
                            what + " (" + server.getValue() + " server, " + client.getValue() + " client)", latency));
                }
            }
        }
        return rows;
    }

    private static void addWebSocketRows(List<JmhResult> results, String stack, String client, List<WebSocketRow> rows) {
        for (String benchmark : WEB_SOCKET_BENCHMARKS) {
            Figure plain = figure(results, result -> result.is(WEB_SOCKET, benchmark, "stack", stack, "client", client, "mode", "plain"));
            Figure secure = figure(results, result -> result.is(WEB_SOCKET, benchmark, "stack", stack, "client", client, "mode", "secure"));
            if (plain != null || secure != null) {
                rows.add(new WebSocketRow(stack, client, benchmark, plain, secure));
            }
        }
    }

    /** Orders parameter values as the keys of {@code known}, then values it does not know alphabetically. */
    private static Comparator<String> inOrderOf(Map<String, String> known) {
        List<String> order = List.copyOf(known.keySet());
        return Comparator.<String>comparingInt(value -> order.contains(value) ? order.indexOf(value) : order.size())
                .thenComparing(Comparator.naturalOrder());
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<RoundTripRow> roundTrips(List<JmhResult> results) {
        List<RoundTripRow> rows = new ArrayList<>();
        for (int size : sizes(results, IN_MEMORY, "roundTrip")) {
            rows.add(new RoundTripRow(size,
                    figure(results, result -> result.is(IN_MEMORY, "roundTrip", "mode", "plain", "size", String.valueOf(size))),
                    figure(results, result -> result.is(IN_MEMORY, "roundTrip", "mode", "secure", "size", String.valueOf(size)))));
        }
        return rows;
    }

    private static int suiteOrder(String suite) {
        return suite.equals(CHACHA20) ? 0 : suite.equals(AES_128_GCM) ? 1 : 2;
    }

    private static Set<Integer> sizes(List<JmhResult> results, String className, String method) {
        Set<Integer> sizes = new TreeSet<>();
        for (JmhResult result : results) {
            if (result.className().equals(className) && result.method().equals(method) && result.param("size") != null) {
                sizes.add(Integer.parseInt(result.param("size")));
            }
        }
        return sizes;
    }

    private static Map<Integer, Figure> figuresBySize(List<JmhResult> results, Predicate<JmhResult> filter) {
        Map<Integer, Figure> bySize = new TreeMap<>();
        for (JmhResult result : results) {
            if (filter.test(result) && result.param("size") != null && !Double.isNaN(result.microsPerUnit())) {
                bySize.putIfAbsent(Integer.parseInt(result.param("size")), Figure.of(result));
            }
        }
        return bySize;
    }

    /** The first result matching, as a figure; null when none matches (or its score is not a time). */
    private static @Nullable Figure figure(List<JmhResult> results, Predicate<JmhResult> filter) {
        for (JmhResult result : results) {
            if (filter.test(result) && !Double.isNaN(result.microsPerUnit())) {
                return Figure.of(result);
            }
        }
        return null;
    }

    /** Groups results by JDK feature release, newest first. */
    public static List<JdkFigures> byJdk(List<JmhResult> results) {
        Map<Integer, List<JmhResult>> byFeature = new TreeMap<>((a, b) -> b - a);
        for (JmhResult result : results) {
            byFeature.computeIfAbsent(result.jdkFeature(), key -> new ArrayList<>()).add(result);
        }
        List<JdkFigures> figures = new ArrayList<>();
        for (List<JmhResult> ofOneJdk : byFeature.values()) {
            figures.add(from(ofOneJdk));
        }
        return figures;
    }
}
