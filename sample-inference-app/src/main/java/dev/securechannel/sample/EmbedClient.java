package dev.securechannel.sample;

import dev.securechannel.SecureChannelException;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's client mode: connects to the service over the secure channel, embeds each
 * sentence (command-line arguments, or lines of standard input when there are none), and
 * prints the first values of each vector, the cosine similarity of consecutive sentences, the
 * round trip, and the server's model time for each request.
 *
 * <pre>
 * ./mvnw -q -pl sample-inference-app -am spring-boot:run \
 *     -Dspring-boot.run.main-class=dev.securechannel.sample.EmbedClient \
 *     -Dspring-boot.run.arguments="'A cat sits on the mat.' 'A kitten rests on a rug.'"
 * </pre>
 *
 * <p>Options: {@code --url ws://host:port/secure-channel} (default
 * {@value #DEFAULT_URL}). The client uses insecure mock attestation, which only a server in the
 * development profile accepts. The server's model time comes from its {@code sample.inference}
 * timer at {@code /actuator/metrics} (read before and after each request); where the actuator is
 * not reachable it is shown as n/a.
 */
public final class EmbedClient {

    /** The development server's endpoint. */
    public static final String DEFAULT_URL = "ws://localhost:8080/secure-channel";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int VALUES_SHOWN = 8;

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private EmbedClient(PrintStream out) {
        this.out = out;
    }

    /** Runs the client; exits with 1 when the server cannot be reached or refuses, 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        String url = DEFAULT_URL;
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: EmbedClient [--url " + DEFAULT_URL + "] [sentence ...]   (no sentences: one per line on stdin)");
                return;
            } else if (args[i].equals("--url")) {
                if (i + 1 == args.length) {
                    System.err.println("--url needs a value, for example " + DEFAULT_URL);
                    System.exit(2);
                }
                url = args[++i];
            } else if (!args[i].isBlank()) {
                sentences.add(args[i]);
            }
        }
        if (sentences.isEmpty()) {
            sentences = readLines();
        }
        if (sentences.isEmpty()) {
            System.err.println("no sentences: give them as arguments or one per line on standard input");
            System.exit(2);
        }
        try {
            new EmbedClient(System.out).run(URI.create(url), sentences);
        } catch (IOException | SecureChannelException e) {
            System.err.println("cannot use " + url + ": " + e);
            System.exit(1);
        }
    }

    private void run(URI endpoint, List<String> sentences) throws IOException, InterruptedException {
        URI metrics = metricsUri(endpoint);
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment())
                .connectTimeout(Duration.ofSeconds(10)).build();
             ClientSession session = client.connect()) {
            out.printf("connected to %s (server attestation: %s%s)%n", endpoint, session.peerAttestation().platform(),
                    session.peerAttestation().isInsecure() ? "; proves nothing, development only" : "");
            float[] previous = null;
            for (int i = 0; i < sentences.size(); i++) {
                String sentence = sentences.get(i);
                ServerTimer before = readTimer(metrics);
                long begin = System.nanoTime();
                Message reply = session.request(sentence.getBytes(StandardCharsets.UTF_8), TIMEOUT);
                double roundTripMillis = (System.nanoTime() - begin) / 1e6;
                ServerTimer after = readTimer(metrics);

                out.printf("[%d] %s%n", i + 1, sentence);
                if (!(reply instanceof Message.TensorMessage tensorMessage)) {
                    out.printf("    refused: %s%n", reply instanceof Message.Error error ? error.reason() : reply);
                    previous = null;
                    continue;
                }
                Tensor tensor = tensorMessage.tensor();
                float[] vector = tensor.toFloatArray();
                out.printf(Locale.ROOT, "    %s %s: %s ...%n", tensor.name(), shape(tensor), firstValues(vector));
                OptionalDouble inference = inferenceMillis(before, after);
                out.printf(Locale.ROOT, "    round trip %.2f ms, server inference %s%n", roundTripMillis,
                        inference.isPresent() ? String.format(Locale.ROOT, "%.2f ms", inference.getAsDouble()) : "n/a");
                if (previous != null) {
                    out.printf(Locale.ROOT, "    cosine similarity with [%d]: %.4f%n", i, cosine(previous, vector));
                }
                previous = vector;
            }
        }
    }

    /** The cosine similarity of two vectors (the model's are unit length, but this does not assume it). */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    /** The actuator metrics URI of the server at {@code endpoint}: same host and port, over HTTP(S). */
    static URI metricsUri(URI endpoint) {
        String scheme = "wss".equalsIgnoreCase(endpoint.getScheme()) ? "https" : "http";
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        return URI.create(scheme + "://" + endpoint.getHost() + port + "/actuator/metrics/" + SentenceEmbedder.TIMER
                + "?tag=transport:" + Transport.SECURE_CHANNEL.tagValue());
    }

    /** The server's model time for exactly one request between two readings, when no other request ran between. */
    private static OptionalDouble inferenceMillis(@Nullable ServerTimer before, @Nullable ServerTimer after) {
        if (before == null || after == null || after.count() - before.count() != 1) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((after.totalSeconds() - before.totalSeconds()) * 1000);
    }

    private @Nullable ServerTimer readTimer(URI metrics) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            long count = 0;
            double total = 0;
            for (JsonNode measurement : json.readTree(response.body()).path("measurements")) {
                switch (measurement.path("statistic").asString()) {
                    case "COUNT" -> count = measurement.path("value").asLong();
                    case "TOTAL_TIME" -> total = measurement.path("value").asDouble();
                    default -> { }
                }
            }
            return new ServerTimer(count, total);
        } catch (IOException | RuntimeException e) {
            // The actuator is optional (and should be closed in production): timing is then n/a.
            return null;
        }
    }

    private static String shape(Tensor tensor) {
        return Arrays.toString(tensor.shape());
    }

    private static String firstValues(float[] vector) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(VALUES_SHOWN, vector.length); i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.4f", vector[i]));
        }
        return text.toString();
    }

    private static List<String> readLines() throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** A reading of the server's timer. */
    private record ServerTimer(long count, double totalSeconds) {
    }
}
