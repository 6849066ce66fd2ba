package dev.securechannel.handshake;

import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.internal.handshake.TestAttestation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The security profile is enforced when a configuration is built, so a misconfigured side
 * refuses before any I/O: no {@link SessionConfig} exists to hand to {@code connect} or
 * {@code accept} (CONFORMANCE D10, D11, D12).
 */
class SessionConfigPolicyTest {

    private static final ExpectedMeasurements SOME = ExpectedMeasurements.of(Map.of(0, new byte[48]));

    @Test
    @DisplayName("D10 the production profile without expected measurements is refused")
    void productionWithoutMeasurementsIsRefused() {
        SessionConfig.Builder builder = SessionConfig.builder()
                .attestationProvider(TestAttestation.secureMockProvider())
                .attestationVerifier(TestAttestation.measuringVerifier(false, Map.of()));

        SecureChannelException thrown = thrownBy(builder::build, FailureReason.CONFIGURATION_REJECTED);

        assertThat(thrown.getMessage()).contains("expected measurements");
    }

    @Test
    @DisplayName("D10 the production profile is the default")
    void productionIsTheDefaultProfile() {
        SessionConfig config = SessionConfig.builder()
                .attestationProvider(TestAttestation.secureMockProvider())
                .attestationVerifier(TestAttestation.measuringVerifier(false, Map.of()))
                .expectedMeasurements(SOME)
                .build();

        assertThat(config.securityProfile()).isEqualTo(SecurityProfile.PRODUCTION);
    }

    @Test
    @DisplayName("D10 the production profile refuses mock attestation on either side, even with measurements")
    void productionRefusesMockAttestation() {
        thrownBy(() -> SessionConfig.builder()
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(TestAttestation.measuringVerifier(false, Map.of()))
                .expectedMeasurements(SOME)
                .build(), FailureReason.CONFIGURATION_REJECTED);
        thrownBy(() -> SessionConfig.builder()
                .attestationProvider(TestAttestation.secureMockProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .expectedMeasurements(SOME)
                .build(), FailureReason.CONFIGURATION_REJECTED);
    }

    @Test
    @DisplayName("D11 the development profile with requireMeasurements and none set is refused")
    void developmentRequiringMeasurementsWithoutAnyIsRefused() {
        thrownBy(() -> SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .requireMeasurements(true)
                .build(), FailureReason.CONFIGURATION_REJECTED);
    }

    @Test
    @DisplayName("D12 the development profile without measurements is allowed, with a warning once per process")
    void developmentWithoutMeasurementsIsAllowedWithOneWarningPerProcess() {
        Logger logger = Logger.getLogger(SessionConfig.class.getName());
        Level previousLevel = logger.getLevel();
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        SessionConfig.resetOncePerProcessWarnings();
        try {
            SessionConfig first = SessionConfig.insecureDevelopment();
            SessionConfig second = SessionConfig.insecureDevelopment();

            assertThat(first.securityProfile()).isEqualTo(SecurityProfile.DEVELOPMENT);
            assertThat(first.expectedMeasurements().isEmpty()).isTrue();
            assertThat(second.expectedMeasurements().isEmpty()).isTrue();
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previousLevel);
        }
        // System.Logger's DEBUG is java.util.logging's FINE.
        assertThat(records).filteredOn(record -> record.getMessage().contains("no expected measurements"))
                .extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.FINE);
    }
}
