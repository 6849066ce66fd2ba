package dev.securechannel.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * When the server's verifier rejects a client's attestation, the check that failed (the
 * exception's detail code, not just ATTESTATION_VERIFICATION_FAILED) is counted in
 * {@code securechannel.attestation.rejections} and shown by {@code /actuator/securechannel}.
 */
@SpringBootTest(classes = {ObservedEchoServer.class, AttestationRejectionReportingTest.RejectingVerifier.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "spring.main.web-application-type=servlet",
            "management.endpoints.web.exposure.include=securechannel,prometheus"})
@Timeout(30)
class AttestationRejectionReportingTest {

    @LocalServerPort
    int port;

    @Test
    void theFailedCheckIsCountedInMetricsAndShownByTheEndpoint() throws Exception {
        Http http = new Http(port);
        for (int i = 0; i < 2; i++) {
            try (SecureChannelClient client = SecureChannelClient.builder(http.webSocket(), SessionConfig.insecureDevelopment()).build()) {
                assertThatThrownBy(client::connect).isInstanceOf(SecureChannelException.class);
            }
        }

        JsonNode handshakes = http.json("/actuator/securechannel").get("handshakes");
        assertThat(handshakes.get("attestationRejections").get("picky/debug-guest-rejected").asLong()).isEqualTo(2);
        assertThat(handshakes.get("failures").get("attestation-verification-failed").asLong()).isEqualTo(2);
        assertThat(http.get("/actuator/prometheus").body()).contains(
                "securechannel_attestation_rejections_total{reason=\"debug-guest-rejected\",role=\"responder\",verifier=\"picky\"} 2.0");
    }

    /** A verifier that refuses every document with a fixed detail code, as the SEV-SNP verifier does. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RejectingVerifier {

        @Bean
        AttestationVerifier pickyVerifier() {
            return new AttestationVerifier() {
                @Override
                public String type() {
                    return "picky";
                }

                @Override
                public VerifiedAttestation verify(AttestationDocument document) {
                    throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "debug guest") {
                        @Override
                        public String detailCode() {
                            return "debug-guest-rejected";
                        }
                    };
                }
            };
        }
    }
}
