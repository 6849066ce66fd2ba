package dev.securechannel.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.DefaultClientSession;
import dev.securechannel.session.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Real traffic through embedded Tomcat, then {@code /actuator/securechannel},
 * {@code /actuator/prometheus} and {@code /actuator/health/securechannel} over HTTP: the
 * counts equal what was sent and what was made to fail, and every latency is plausible.
 *
 * <p>The traffic runs once, before the tests; each test then checks one part of the report
 * taken after it. Clients here carry no observer, so every count is the server's.
 */
@SpringBootTest(classes = ObservedEchoServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
    "spring.main.web-application-type=servlet",
    "management.endpoints.web.exposure.include=health,securechannel,prometheus",
    "management.endpoint.health.show-details=always"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class SecureChannelObservabilityTomcatTest {

    /** One request of each size per client: two small, then one in each larger size class. */
    private static final int[] SIZES = {100, 1536, 4096, 100 * 1024, 600 * 1024};
    private static final int CLIENTS = 3;
    private static final int GARBAGE_HELLOS = 2;
    private static final int TEXT_MESSAGES = 1;
    private static final int MEASUREMENT_MISMATCHES = 1;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private Http http;
    private JsonNode report;

    @BeforeAll
    @Timeout(60)
    void sendTrafficAndCauseFailures() throws Exception {
        http = new Http(port);
        SplittableRandom random = new SplittableRandom(42);
        try (SecureChannelClient client = SecureChannelClient.builder(http.webSocket(), SessionConfig.insecureDevelopment()).build()) {
            for (int c = 0; c < CLIENTS; c++) {
                try (ClientSession session = client.connect()) {
                    for (int size : SIZES) {
                        byte[] payload = new byte[size];
                        random.nextBytes(payload);
                        assertThat(((Message.Data) session.request(payload, REPLY_TIMEOUT)).payload()).isEqualTo(payload);
                    }
                }
            }
        }
        for (int i = 0; i < GARBAGE_HELLOS; i++) {
            assertThat(http.misbehave(socket -> socket.sendBinary(ByteBuffer.wrap(new byte[64]), true))).isEqualTo(1002);
        }
        for (int i = 0; i < TEXT_MESSAGES; i++) {
            assertThat(http.misbehave(socket -> socket.sendText("hello", true))).isEqualTo(1003);
        }
        for (int i = 0; i < MEASUREMENT_MISMATCHES; i++) {
            try (SecureChannelClient picky = SecureChannelClient.builder(http.webSocket(), expectingAMeasurement()).build()) {
                assertThatThrownBy(picky::connect).isInstanceOf(SecureChannelException.class);
            }
        }
        // The server records each event after the client has seen its effect: wait for the last ones.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode current = http.json("/actuator/securechannel");
            return current.at("/handshakes/failed").asLong() == GARBAGE_HELLOS + TEXT_MESSAGES + MEASUREMENT_MISMATCHES
                    && current.at("/sessions/closed/shutdown").asLong() == CLIENTS
                    && current.at("/messages/seal/overall/count").asLong() == (long) CLIENTS * SIZES.length
                    && current.at("/messages/open/overall/count").asLong() == (long) CLIENTS * (SIZES.length + 1);
        });
        report = http.json("/actuator/securechannel");
    }

    @Test
    void countsEveryCompletedHandshake() {
        assertThat(report.at("/handshakes/completed").asLong()).isEqualTo(CLIENTS);
    }

    @Test
    void countsFailedHandshakesByReason() {
        assertThat(report.at("/handshakes/failures/invalid-magic").asLong()).isEqualTo(GARBAGE_HELLOS);
        assertThat(report.at("/handshakes/failures/text-message").asLong()).isEqualTo(TEXT_MESSAGES);
        assertThat(report.at("/handshakes/failures/connection-closed").asLong()).isEqualTo(MEASUREMENT_MISMATCHES);
        assertThat(report.at("/handshakes/failures").size()).isEqualTo(3);
    }

    @Test
    void countsSessionsOpenedAndClosedByReason() {
        assertThat(report.at("/sessions/opened").asLong()).isEqualTo(CLIENTS);
        assertThat(report.at("/sessions/active").asLong()).isZero();
        assertThat(report.at("/sessions/closed/shutdown").asLong()).isEqualTo(CLIENTS);
        assertThat(report.at("/sessions/closed").size()).isEqualTo(1);
    }

    @Test
    void countsSealedFramesBySizeClass() {
        JsonNode bySize = report.at("/messages/seal/bySize");
        assertThat(bySize.at("/le-2KiB/count").asLong()).isEqualTo(2 * CLIENTS);
        assertThat(bySize.at("/le-8KiB/count").asLong()).isEqualTo(CLIENTS);
        assertThat(bySize.at("/le-512KiB/count").asLong()).isEqualTo(CLIENTS);
        assertThat(bySize.at("/gt-512KiB/count").asLong()).isEqualTo(CLIENTS);
    }

    @Test
    void countsOpenedFramesBySizeClassShutdownsIncluded() {
        JsonNode bySize = report.at("/messages/open/bySize");
        assertThat(bySize.at("/le-2KiB/count").asLong()).isEqualTo(3 * CLIENTS);
        assertThat(bySize.at("/le-8KiB/count").asLong()).isEqualTo(CLIENTS);
        assertThat(bySize.at("/le-512KiB/count").asLong()).isEqualTo(CLIENTS);
        assertThat(bySize.at("/gt-512KiB/count").asLong()).isEqualTo(CLIENTS);
    }

    @Test
    void countsPlaintextBytesEachWay() {
        long sent = (long) CLIENTS * IntStream.of(SIZES).sum();
        assertThat(report.at("/bytes/in").asLong()).isEqualTo(sent);
        assertThat(report.at("/bytes/out").asLong()).isEqualTo(sent);
    }

    @Test
    void handshakeLatenciesAreNonZeroAndOrdered() {
        assertOrderedPercentiles(report.at("/handshakes/latency"));
        for (String phase : List.of("attest", "verify-peer", "key-derivation", "waiting")) {
            assertOrderedPercentiles(report.at("/handshakes/phases/" + phase));
        }
    }

    @Test
    void messageLatenciesAreNonZeroAndOrderedOverallAndPerSizeClass() {
        for (String operation : List.of("seal", "write", "open")) {
            assertOrderedPercentiles(report.at("/messages/" + operation + "/overall"));
            report.at("/messages/" + operation + "/bySize").forEach(SecureChannelObservabilityTomcatTest::assertOrderedPercentiles);
        }
    }

    @Test
    void reportsRecentLatenciesBesideTheTotalsWithTheirWindow() {
        JsonNode recent = report.at("/recent");
        double window = recent.at("/windowSeconds").asDouble();
        assertThat(window).isPositive().isLessThanOrEqualTo(75.0);
        // Within its first minute the window reaches back to the start: recent and total agree.
        boolean sinceStart = window < 60.0;
        for (String operation : List.of("seal", "write", "open")) {
            long total = report.at("/messages/" + operation + "/overall/count").asLong();
            long count = recent.at("/messages/" + operation + "/overall/count").asLong();
            if (sinceStart) {
                assertThat(count).as("recent %s count", operation).isEqualTo(total);
            } else {
                assertThat(count).as("recent %s count", operation).isLessThanOrEqualTo(total);
            }
            if (count > 0) {
                assertOrderedPercentiles(recent.at("/messages/" + operation + "/overall"));
            }
        }
    }

    @Test
    void reportsTheLocalMockAttestationAsInsecure() {
        assertThat(report.at("/attestation/provider").asString()).isEqualTo("mock");
        assertThat(report.at("/attestation/platform").asString()).isEqualTo(InsecureMockAttestation.PLATFORM);
        assertThat(report.at("/attestation/secure").asBoolean()).isFalse();
        assertThat(report.at("/attestation/healthy").asBoolean()).isTrue();
        assertThat(report.at("/attestation/lastEvidence").isString()).isTrue();
    }

    @Test
    void prometheusScrapeCountsTheSameFailures() throws Exception {
        String scrape = http.get("/actuator/prometheus").body();

        assertThat(scrape).containsPattern("securechannel_handshake_seconds_count\\{[^}]*outcome=\"failure\""
                + "[^}]*reason=\"invalid-magic\"[^}]*role=\"responder\"[^}]*} " + GARBAGE_HELLOS + "(\\.0)?\\n");
        assertThat(scrape).containsPattern("securechannel_handshake_seconds_count\\{[^}]*outcome=\"failure\""
                + "[^}]*reason=\"text-message\"[^}]*role=\"responder\"[^}]*} " + TEXT_MESSAGES + "(\\.0)?\\n");
    }

    @Test
    void listsAnOpenSessionByItsDisplayIdAndNothingSecret() throws Exception {
        try (SecureChannelClient client = SecureChannelClient.builder(http.webSocket(), SessionConfig.insecureDevelopment()).build();
             ClientSession session = client.connect()) {
            session.request(new byte[10], REPLY_TIMEOUT);
            byte[] sessionId = ((DefaultClientSession) session).connection().recordSession().orElseThrow().handshake().sessionId();
            String displayId = session.displayId();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> http.json("/actuator/securechannel/sessions").at("/sessions/0/framesSent").asLong() == 1);
            String body = http.get("/actuator/securechannel/sessions").body();
            JsonNode listed = http.json("/actuator/securechannel/sessions").at("/sessions");

            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.at("/0/id").asString()).isEqualTo(displayId);
            assertThat(listed.at("/0/role").asString()).isEqualTo("responder");
            assertThat(listed.at("/0/peerPlatform").asString()).isEqualTo(InsecureMockAttestation.PLATFORM);
            assertThat(listed.at("/0/extensions").asString()).isEqualTo("aes-256-gcm,key-update");
            assertThat(listed.at("/0/bytesReceived").asLong()).isEqualTo(10);
            assertThat(body).doesNotContainIgnoringCase(HexFormat.of().formatHex(sessionId))
                    .doesNotContain(Base64.getEncoder().encodeToString(sessionId));
        }
    }

    @Test
    void answersNotFoundForAnUnknownSelector() throws Exception {
        assertThat(http.get("/actuator/securechannel/keys").statusCode()).isEqualTo(404);
    }

    @Test
    void healthIsUpAndShowsTheMockAsInsecure() throws Exception {
        JsonNode health = http.json("/actuator/health/securechannel");

        assertThat(health.at("/status").asString()).isEqualTo("UP");
        assertThat(health.at("/details/provider").asString()).isEqualTo("mock");
        assertThat(health.at("/details/secure").asBoolean()).isFalse();
    }

    private static void assertOrderedPercentiles(JsonNode latency) {
        double p50 = latency.at("/p50Micros").asDouble();
        double p95 = latency.at("/p95Micros").asDouble();
        double p99 = latency.at("/p99Micros").asDouble();
        double max = latency.at("/maxMicros").asDouble();
        assertThat(latency.at("/count").asLong()).as("count of %s", latency).isPositive();
        assertThat(p50).as("p50 of %s", latency).isPositive();
        assertThat(p50).isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
    }

    private static SessionConfig expectingAMeasurement() {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .expectedMeasurements(ExpectedMeasurements.fromHex(Map.of(0, "ab".repeat(48))))
                .build();
    }
}
