package dev.securechannel.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Which settings show {@code /actuator/health/securechannel}, as README.md's Observability
 * section lists them: Spring Boot answers 404 for a single component unless components are
 * shown, and shows the contributor's details only with {@code show-details}.
 */
@Timeout(60)
class HealthComponentExposureTest {

    private static final String[] APPLICATION = {
        "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock", "server.port=0"};
    private static final String EXPOSURE = "management.endpoints.web.exposure.include=health,securechannel,prometheus";

    @Test
    void theComponentIsNotFoundWhenOnlyTheEndpointsAreExposed() throws Exception {
        try (ConfigurableApplicationContext context = run(EXPOSURE)) {
            assertThat(http(context).get("/actuator/health/securechannel").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void showComponentsAnswersWithTheComponentsStatus() throws Exception {
        try (ConfigurableApplicationContext context = run(EXPOSURE, "management.endpoint.health.show-components=always")) {
            HttpResponse<String> response = http(context).get("/actuator/health/securechannel");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"").doesNotContain("details");
        }
    }

    @Test
    void theReadmeSettingsAnswerWithStatusAndDetails() throws Exception {
        try (ConfigurableApplicationContext context = run(EXPOSURE, "management.endpoint.health.show-components=always",
                "management.endpoint.health.show-details=always")) {
            JsonNode health = http(context).json("/actuator/health/securechannel");

            assertThat(health.at("/status").asString()).isEqualTo("UP");
            assertThat(health.at("/details/provider").asString()).isEqualTo("mock");
            assertThat(health.at("/details/secure").asBoolean()).isFalse();
        }
    }

    private static ConfigurableApplicationContext run(String... management) {
        return new SpringApplicationBuilder(ObservedEchoServer.class).web(WebApplicationType.SERVLET)
                .properties(APPLICATION).properties(management).run();
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
