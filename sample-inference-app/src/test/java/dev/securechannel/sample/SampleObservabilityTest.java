package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The sample app as shipped (WebFlux, its application.yml): after real traffic, the actuator
 * endpoints answer over HTTP, and the Grafana dashboard's queries find their series in a real
 * Prometheus scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class SampleObservabilityTest {

    private static final int[] SIZES = {100, 4096, 100 * 1024};
    private static final int CLIENTS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern METRIC = Pattern.compile("\\bsecurechannel_[a-z0-9_]+");
    private static final Pattern GROUPING = Pattern.compile("\\bby \\(([^)]*)\\)");

    @LocalServerPort
    int port;

    private String scrape;

    @BeforeAll
    @Timeout(60)
    void sendTraffic() throws Exception {
        URI endpoint = URI.create("ws://127.0.0.1:" + port + "/secure-channel");
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment()).build()) {
            for (int c = 0; c < CLIENTS; c++) {
                try (ClientSession session = client.connect()) {
                    for (int size : SIZES) {
                        assertThat(((Message.Data) session.request(new byte[size], TIMEOUT)).payload()).hasSize(size);
                    }
                    Tensor tensor = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1, 2, 3, 4});
                    assertThat(((Message.TensorMessage) session.request(tensor, TIMEOUT)).tensor()).isEqualTo(tensor);
                }
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> json("/actuator/securechannel").at("/sessions/closed/shutdown").asLong() == CLIENTS
                && json("/actuator/securechannel").at("/messages/seal/overall/count").asLong() == CLIENTS * (SIZES.length + 1L));
        scrape = get("/actuator/prometheus").body();
    }

    @Test
    void securechannelEndpointCountsTheTraffic() throws Exception {
        JsonNode report = json("/actuator/securechannel");

        assertThat(report.at("/handshakes/completed").asLong()).isEqualTo(CLIENTS);
        assertThat(report.at("/messages/open/overall/count").asLong()).isEqualTo(CLIENTS * (SIZES.length + 2L));
        assertThat(report.at("/bytes/out").asLong()).isGreaterThan((long) CLIENTS * IntStream.of(SIZES).sum());
        assertThat(report.at("/messages/seal/overall/p99Micros").asDouble()).isPositive();
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

        assertThat(queried).hasSizeGreaterThanOrEqualTo(10);
        assertThat(queried).allSatisfy(name ->
                assertThat(scrape).as("scrape has %s", name).containsPattern("(?m)^" + name + "[{ ]"));
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
                assertThat(scrape).as("%s has label %s", metric, label)
                        .containsPattern("(?m)^" + metric + "\\{[^}]*\\b" + label + "=\"")));
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
