package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample app as shipped (WebFlux, its application.yml): after real embedding traffic, the
 * actuator endpoints answer over HTTP, and the Grafana dashboard's queries (secure-channel's and
 * the model's {@code sample_inference_seconds}) find their series in a real Prometheus scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class SampleObservabilityTest {

    /** A one-line request (a [384] reply, under 2 KiB) and a 40-line one (under 8 KiB in, 60 KiB out). */
    private static final String ONE_LINE = "The dashboard needs some traffic.";
    private static final int LINES = 40;
    private static final String MANY_LINES = IntStream.range(0, LINES)
            .mapToObj(i -> "Sentence number " + i + " of a batch for the dashboard.")
            .collect(Collectors.joining("\n"));
    /** Requests per session: the two texts and a tensor, which is refused with an Error frame. */
    private static final int REQUESTS = 3;
    private static final int CLIENTS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern METRIC = Pattern.compile("\\b(?:securechannel|sample)_[a-z0-9_]+");
    private static final Pattern GROUPING = Pattern.compile("\\bby \\(([^)]*)\\)");

    @LocalServerPort
    int port;

    /** The endpoint's report before this class's traffic: other test classes may share the application. */
    private JsonNode before;
    private String scrape;
    private String clientScrape;

    @BeforeAll
    @Timeout(60)
    void sendTraffic() throws Exception {
        // Sessions of earlier test classes must have ended, or their last frames would count here.
        await().atMost(Duration.ofSeconds(20)).until(() -> json("/actuator/securechannel").at("/sessions/active").asLong() == 0);
        before = json("/actuator/securechannel");
        URI endpoint = URI.create("ws://127.0.0.1:" + port + "/secure-channel");
        // The request round-trip series exists where requests are made: a client application's scrape.
        PrometheusMeterRegistry clientRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        clientRegistry.config().commonTags("application", "sample-client");
        try (MicrometerConnectionObserver clientObserver = new MicrometerConnectionObserver(clientRegistry, new SecureChannelMetrics(), "mock");
             SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment())
                     .observer(clientObserver).build()) {
            for (int c = 0; c < CLIENTS; c++) {
                try (ClientSession session = client.connect()) {
                    Message one = session.request(ONE_LINE.getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(((Message.TensorMessage) one).tensor().shape()).containsExactly(384);
                    Message many = session.request(MANY_LINES.getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(((Message.TensorMessage) many).tensor().shape()).containsExactly(LINES, 384);
                    Tensor tensor = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1, 2, 3, 4});
                    assertThat(session.request(tensor, TIMEOUT)).isInstanceOf(Message.Error.class);
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode now = json("/actuator/securechannel");
            return delta(now, "/sessions/closed/shutdown") == CLIENTS && delta(now, "/messages/seal/overall/count") >= 2L * CLIENTS;
        });
        // Frame timers reach Micrometer with the next publish (once a second), after the endpoint's
        // in-process counts: wait for the scrape that has them.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            scrape = get("/actuator/prometheus").body();
            return scrape.contains("securechannel_frame_seal_seconds_bucket") && scrape.contains("securechannel_frame_open_seconds_bucket")
                    && scrape.contains("securechannel_frame_write_seconds_bucket");
        });
        clientScrape = clientRegistry.scrape();
    }

    @Test
    void securechannelEndpointCountsTheTraffic() throws Exception {
        JsonNode report = json("/actuator/securechannel");

        assertThat(delta(report, "/handshakes/completed")).isEqualTo(CLIENTS);
        // Each session's requests and its closing Shutdown.
        assertThat(delta(report, "/messages/open/overall/count")).isEqualTo(CLIENTS * (REQUESTS + 1L));
        // The reply tensors hold 384 floats per line.
        assertThat(delta(report, "/bytes/out")).isGreaterThanOrEqualTo(CLIENTS * (LINES + 1L) * 384 * Float.BYTES);
        assertThat(report.at("/messages/seal/overall/p99Micros").asDouble()).isPositive();
    }

    @Test
    void inferenceTimeIsScrapedPerTransport() {
        Matcher secure = Pattern.compile("(?m)^sample_inference_seconds_count\\{[^}]*transport=\"secure-channel\"[^}]*} (\\S+)$")
                .matcher(scrape);

        assertThat(secure.find()).as("secure-channel inference count in the scrape").isTrue();
        assertThat(Double.parseDouble(secure.group(1))).isGreaterThanOrEqualTo(2.0 * CLIENTS);
        assertThat(scrape).containsPattern("(?m)^sample_inference_seconds_bucket\\{[^}]*transport=\"rest\"");
    }

    @Test
    void healthShowsTheMockProviderAsInsecure() throws Exception {
        JsonNode health = json("/actuator/health");

        assertThat(health.at("/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/securechannel/details/provider").asString()).isEqualTo("mock");
        assertThat(health.at("/components/securechannel/details/secure").asBoolean()).isFalse();
    }

    @Test
    void dashboardImportsWithAPrometheusInputAndApplicationAndInstanceVariables() throws Exception {
        JsonNode dashboard = dashboard();

        assertThat(dashboard.at("/__inputs/0/pluginId").asString()).isEqualTo("prometheus");
        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(variable -> variables.add(variable.at("/name").asString()));
        assertThat(variables).containsExactly("application", "instance");
    }

    @Test
    void prometheusScrapeHasEverySeriesTheDashboardQueries() throws Exception {
        Set<String> queried = new LinkedHashSet<>();
        for (String expr : dashboardQueries()) {
            Matcher metric = METRIC.matcher(expr);
            while (metric.find()) {
                queried.add(metric.group());
            }
        }

        assertThat(queried).hasSizeGreaterThanOrEqualTo(10).contains("sample_inference_seconds_bucket");
        assertThat(queried).allSatisfy(name ->
                assertThat(scrapeOf(name)).as("scrape has %s", name).containsPattern("(?m)^" + name + "[{ ]"));
    }

    @Test
    void everyQueriedSeriesCarriesTheApplicationTagAndTheLabelsItIsGroupedBy() throws Exception {
        Map<String, Set<String>> labelsByMetric = new LinkedHashMap<>();
        for (String expr : dashboardQueries()) {
            Set<String> labels = new LinkedHashSet<>(List.of("application"));
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    // "le" is the bucket bound; "instance" is added by Prometheus when it scrapes.
                    if (!label.isBlank() && !label.trim().equals("le") && !label.trim().equals("instance")) {
                        labels.add(label.trim());
                    }
                }
            }
            Matcher metric = METRIC.matcher(expr);
            while (metric.find()) {
                labelsByMetric.computeIfAbsent(metric.group(), name -> new LinkedHashSet<>()).addAll(labels);
            }
        }

        labelsByMetric.forEach((metric, labels) -> assertThat(labels).allSatisfy(label ->
                assertThat(scrapeOf(metric)).as("%s has label %s", metric, label)
                        .containsPattern("(?m)^" + metric + "\\{[^}]*\\b" + label + "=\"")));
    }

    /** Client round trips are the client application's series; everything else the server's. */
    private String scrapeOf(String metric) {
        return metric.startsWith("securechannel_request_") ? clientScrape : scrape;
    }

    private long delta(JsonNode now, String pointer) {
        return now.at(pointer).asLong() - before.at(pointer).asLong();
    }

    private List<String> dashboardQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        dashboard().at("/panels").forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.at("/expr").asString())));
        return queries;
    }

    private static JsonNode dashboard() throws Exception {
        String dir = System.getProperty("securechannel.observability.dir", "../observability");
        return JSON.readTree(Files.readString(Path.of(dir, "grafana", "secure-channel-dashboard.json")));
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
