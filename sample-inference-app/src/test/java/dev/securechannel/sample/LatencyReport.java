package dev.securechannel.sample;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.session.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures, not asserts: the model's time for one sentence and for a batch of 32, and what each
 * transport adds to one sentence's round trip over loopback (round trip minus that request's
 * own model time, read from the {@code sample.inference} timer around each request). Starts the
 * sample app in process on a free port, with mock attestation.
 *
 * <pre>
 * ./mvnw -q -pl sample-inference-app -am install -DskipTests     # once: the modules it uses, and its test classes
 * ./mvnw -q -pl sample-inference-app exec:java -Dexec.mainClass=dev.securechannel.sample.LatencyReport \
 *     -Dexec.classpathScope=test [-Dexec.args=ROUNDS]
 * </pre>
 *
 * It runs in Maven's JVM: set {@code JAVA_HOME} to measure another JDK.
 *
 * Run it on an idle machine: on a small shared VM other processes move these figures a lot.
 */
public final class LatencyReport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "A secure channel binds the session keys to an attestation report.",
            "Confidential virtual machines encrypt memory with keys the host never sees.",
            "She walked to the market to buy fresh bread and some apples.",
            "The committee postponed its decision until the next quarterly meeting.",
            "Sentence embeddings map text to vectors whose angles reflect meaning.",
            "Heavy rain is expected across the northern region this weekend.",
            "He tuned the old piano before the evening concert began.",
            "The library extended its opening hours during the exam period.",
            "Our train was delayed by twenty minutes because of a signal failure.",
            "Photosynthesis converts light energy into chemical energy in plants.",
            "The startup raised a second round of funding from local investors.",
            "Please remember to water the tomatoes while I am away.",
            "A small cafe on the corner serves the best espresso in town.",
            "The spacecraft entered orbit after a journey of seven months.",
            "Children learn languages faster when they hear them every day.",
            "The museum acquired a rare map drawn in the sixteenth century.",
            "Regular exercise improves both sleep quality and concentration.",
            "The recipe calls for two cups of flour and a pinch of salt.",
            "Engineers replaced the bridge's cables without closing the road.",
            "The novel follows three generations of a family of fishermen.",
            "Interest rates rose for the third time this year.",
            "A gentle breeze carried the smell of pine through the valley.",
            "The team rewrote the parser to handle malformed input safely.",
            "Volunteers planted two hundred trees along the river bank.",
            "The orchestra rehearsed the symphony's final movement twice.",
            "Bright auroras were visible far south of their usual range.",
            "The hospital opened a new wing for pediatric care.",
            "He forgot his umbrella and arrived at the office soaking wet.",
            "The chess match ended in a draw after six hours of play.",
            "Solar panels on the school roof now cover most of its electricity use.",
            "The detective noticed a faint scratch on the window frame.");

    private LatencyReport() {
    }

    /**
     * Runs the measurement. Arguments: the number of measured rounds (200 by default), then
     * optionally a file to write the medians to as JSON, the input of the Transport Performance
     * Report's real-world impact section ({@code bench/target/minilm-inference.json}).
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        java.nio.file.Path json = args.length > 1 ? java.nio.file.Path.of(args[1]) : null;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleInferenceApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.root=warn").run()) {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            SentenceEmbedder embedder = context.getBean(SentenceEmbedder.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            System.out.printf(Locale.ROOT, "JDK %s (%s), %d cores, %d measured rounds after %d warm-up rounds%n",
                    Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                    rounds, rounds / 2);

            double[] one = modelMillis(embedder, rounds, 1);
            double[] batch = modelMillis(embedder, Math.max(10, rounds / 8), SENTENCES.size());
            print("model, 1 sentence", one);
            print("model, batch of 32", batch);

            Timer secureTimer = registry.get(SentenceEmbedder.TIMER).tag("transport", Transport.SECURE_CHANNEL.tagValue()).timer();
            Timer restTimer = registry.get(SentenceEmbedder.TIMER).tag("transport", Transport.REST.tagValue()).timer();
            RoundTrips secure = secureChannel(port, secureTimer, rounds);
            RoundTrips rest = rest(port, restTimer, rounds);
            print("secure channel round trip, 1 sentence", secure.roundTrip());
            print("  of which model", secure.model());
            print("  round trip minus model", secure.overhead());
            print("REST round trip, 1 sentence", rest.roundTrip());
            print("  of which model", rest.model());
            print("  round trip minus model", rest.overhead());
            // Requests refused before the model: what each transport and client cost on their own.
            print("secure channel round trip, refused input", refusedOverSecureChannel(port, rounds));
            print("REST round trip, refused input", refusedOverRest(port, rounds));
            if (json != null) {
                String figures = String.format(Locale.ROOT, "{%n  \"model\": \"all-MiniLM-L6-v2 (langchain4j, ONNX, in process)\",%n"
                                + "  \"singleSentenceMillisP50\": %.4f,%n  \"batch32MillisP50\": %.4f,%n"
                                + "  \"secureRoundTripMillisP50\": %.4f,%n  \"restRoundTripMillisP50\": %.4f,%n"
                                + "  \"source\": \"sample-inference-app LatencyReport, JDK %s, %d rounds\"%n}%n",
                        median(one), median(batch), median(secure.roundTrip()), median(rest.roundTrip()), Runtime.version(), rounds);
                java.nio.file.Files.createDirectories(json.toAbsolutePath().getParent());
                java.nio.file.Files.writeString(json, figures);
                System.out.println("wrote " + json.toAbsolutePath());
            }
        }
    }

    private static double median(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 0.5);
    }

    private static double[] modelMillis(SentenceEmbedder embedder, int rounds, int sentences) {
        List<String> input = SENTENCES.subList(0, sentences);
        for (int i = 0; i < rounds / 2; i++) {
            embedder.embed(sentences == 1 ? List.of(SENTENCES.get(i % SENTENCES.size())) : input, Transport.REST);
        }
        double[] millis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            List<String> request = sentences == 1 ? List.of(SENTENCES.get(i % SENTENCES.size())) : input;
            millis[i] = embedder.embed(request, Transport.REST).inferenceMillis();
        }
        return millis;
    }

    private static RoundTrips secureChannel(int port, Timer timer, int rounds) throws Exception {
        RoundTrips result = new RoundTrips(rounds);
        URI endpoint = URI.create("ws://127.0.0.1:" + port + "/secure-channel");
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment()).build();
             ClientSession session = client.connect()) {
            for (int i = -rounds / 2; i < rounds; i++) {
                byte[] sentence = SENTENCES.get(Math.floorMod(i, SENTENCES.size())).getBytes(StandardCharsets.UTF_8);
                double modelBefore = timer.totalTime(TimeUnit.MILLISECONDS);
                long begin = System.nanoTime();
                Message reply = session.request(sentence, TIMEOUT);
                long nanos = System.nanoTime() - begin;
                if (!(reply instanceof Message.TensorMessage)) {
                    throw new IllegalStateException("unexpected reply " + reply);
                }
                if (i >= 0) {
                    result.record(i, nanos, timer.totalTime(TimeUnit.MILLISECONDS) - modelBefore);
                }
            }
        }
        return result;
    }

    private static RoundTrips rest(int port, Timer timer, int rounds) throws Exception {
        RoundTrips result = new RoundTrips(rounds);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        URI embed = URI.create("http://127.0.0.1:" + port + "/embed");
        for (int i = -rounds / 2; i < rounds; i++) {
            String body = "{\"texts\":[\"" + SENTENCES.get(Math.floorMod(i, SENTENCES.size())) + "\"]}";
            HttpRequest request = HttpRequest.newBuilder(embed).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            double modelBefore = timer.totalTime(TimeUnit.MILLISECONDS);
            long begin = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - begin;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST /embed answered " + response.statusCode());
            }
            if (i >= 0) {
                result.record(i, nanos, timer.totalTime(TimeUnit.MILLISECONDS) - modelBefore);
            }
        }
        return result;
    }

    private static double[] refusedOverSecureChannel(int port, int rounds) throws Exception {
        double[] millis = new double[rounds];
        URI endpoint = URI.create("ws://127.0.0.1:" + port + "/secure-channel");
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment()).build();
             ClientSession session = client.connect()) {
            for (int i = -rounds / 2; i < rounds; i++) {
                long begin = System.nanoTime();
                Message reply = session.request(new byte[0], TIMEOUT);
                long nanos = System.nanoTime() - begin;
                if (!(reply instanceof Message.Error)) {
                    throw new IllegalStateException("unexpected reply " + reply);
                }
                if (i >= 0) {
                    millis[i] = nanos / 1e6;
                }
            }
        }
        return millis;
    }

    private static double[] refusedOverRest(int port, int rounds) throws Exception {
        double[] millis = new double[rounds];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/embed")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"texts\":[]}")).build();
        for (int i = -rounds / 2; i < rounds; i++) {
            long begin = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - begin;
            if (response.statusCode() != 400) {
                throw new IllegalStateException("POST /embed answered " + response.statusCode());
            }
            if (i >= 0) {
                millis[i] = nanos / 1e6;
            }
        }
        return millis;
    }

    private static void print(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-40s median %8.3f ms   p90 %8.3f ms%n", what, percentile(sorted, 0.5), percentile(sorted, 0.9));
    }

    private static double percentile(double[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
    }

    /** Per-request round trip, model time, and their difference, in milliseconds. */
    private record RoundTrips(double[] roundTrip, double[] model, double[] overhead) {

        RoundTrips(int rounds) {
            this(new double[rounds], new double[rounds], new double[rounds]);
        }

        void record(int index, long roundTripNanos, double modelMillis) {
            roundTrip[index] = roundTripNanos / 1e6;
            model[index] = modelMillis;
            overhead[index] = roundTrip[index] - modelMillis;
        }
    }
}
