package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The session configuration built from properties and attestation beans, and the profile's refusals. */
class SecureChannelAutoConfigurationTest {

    private static final String MEASUREMENT = "ab".repeat(48);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class));

    @Test
    void developmentProfileWithMockAttestationBuildsASessionConfig() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .run(context -> {
                    SessionConfig config = context.getBean(SessionConfig.class);
                    assertThat(config.securityProfile()).isEqualTo(SecurityProfile.DEVELOPMENT);
                    assertThat(config.attestationProvider()).isInstanceOf(InsecureMockAttestationProvider.class);
                    assertThat(config.attestationVerifier()).isInstanceOf(InsecureMockAttestationVerifier.class);
                    assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(config.maxPayloadLength()).isEqualTo(4 * 1024 * 1024);
                });
    }

    @Test
    void handshakesTakePreGeneratedKeyPairsFromTheKeyPool() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.key-pool.enabled=true", "secure-channel.key-pool.size=3")
                .run(context -> {
                    EphemeralKeyPool pool = context.getBean(EphemeralKeyPool.class);
                    assertThat(pool.capacity()).isEqualTo(3);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (pool.available() < 3 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    SessionConfigInternals.newEphemeralKeyPair(context.getBean(SessionConfig.class));
                    assertThat(pool.hits()).isEqualTo(1);
                });
    }

    @Test
    void handshakesGenerateTheirKeysInlineByDefault() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(EphemeralKeyPool.class);
                    assertThat(SessionConfigInternals.newEphemeralKeyPair(context.getBean(SessionConfig.class)).publicKey()).hasSize(32);
                });
    }

    @Test
    void theKeyPoolIsWipedWhenTheContextCloses() {
        EphemeralKeyPool[] pool = new EphemeralKeyPool[1];
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.key-pool.enabled=true")
                .run(context -> pool[0] = context.getBean(EphemeralKeyPool.class));
        assertThat(pool[0].available()).isZero();
    }

    @Test
    void propertiesSetTimeoutsCapsAndMeasurements() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.handshake-timeout=5s", "secure-channel.max-frame-size=1MB",
                        "secure-channel.attestation.expected-measurements[0]=" + MEASUREMENT,
                        "secure-channel.attestation.expected-measurements[3]=" + "CD".repeat(48))
                .run(context -> {
                    SessionConfig config = context.getBean(SessionConfig.class);
                    assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.maxPayloadLength()).isEqualTo(1024 * 1024);
                    assertThat(config.expectedMeasurements().indices()).containsExactly(0, 3);
                });
    }

    @Test
    void bothExtensionsAreOfferedAndNoneRequiredByDefault() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .run(context -> {
                    SessionConfig config = context.getBean(SessionConfig.class);
                    assertThat(SessionConfigInternals.enabledExtensions(config)).isEqualTo(new Extensions(Extensions.AES_256_GCM | Extensions.KEY_UPDATE));
                    assertThat(SessionConfigInternals.requiredExtensions(config)).isEqualTo(Extensions.NONE);
                });
    }

    @Test
    void extensionPropertiesTurnExtensionsOffOrRequireThem() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.aes-256-gcm=require", "secure-channel.extensions.key-update=off")
                .run(context -> {
                    SessionConfig config = context.getBean(SessionConfig.class);
                    assertThat(SessionConfigInternals.enabledExtensions(config)).isEqualTo(new Extensions(Extensions.AES_256_GCM));
                    assertThat(SessionConfigInternals.requiredExtensions(config)).isEqualTo(new Extensions(Extensions.AES_256_GCM));
                });
    }

    @Test
    void extensionModesBindCaseInsensitively() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.aes-256-gcm=OFF", "secure-channel.extensions.key-update=Require")
                .run(context -> {
                    SessionConfig config = context.getBean(SessionConfig.class);
                    assertThat(SessionConfigInternals.enabledExtensions(config)).isEqualTo(new Extensions(Extensions.KEY_UPDATE));
                    assertThat(SessionConfigInternals.requiredExtensions(config)).isEqualTo(new Extensions(Extensions.KEY_UPDATE));
                });
    }

    @Test
    void keyUpdateIntervalPropertiesReachTheSessionConfig() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.key-update-after=64MB", "secure-channel.extensions.key-update-every=10m")
                .run(context -> assertThat(context.getBean(SessionConfig.class).keyUpdatePolicy())
                        .isEqualTo(new KeyUpdatePolicy(64L * 1024 * 1024, Duration.ofMinutes(10))));
    }

    @Test
    void theDefaultKeyUpdateIntervalIsOneGigabyteOrOneHour() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .run(context -> assertThat(context.getBean(SessionConfig.class).keyUpdatePolicy())
                        .isEqualTo(new KeyUpdatePolicy(1L << 30, Duration.ofHours(1))));
    }

    @Test
    void aKeyUpdateIntervalBelowOneMegabyteFailsStartupNamingThePropertyAndTheBound() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.key-update-after=4KB")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("'secure-channel.extensions' on field 'keyUpdateAfter'")
                            .hasStackTraceContaining("must be at least 1MB");
                });
    }

    @Test
    void aKeyUpdateAgeThatIsNotPositiveFailsStartupNamingTheProperty() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.key-update-every=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("'secure-channel.extensions' on field 'keyUpdateEvery'")
                            .hasStackTraceContaining("must be a positive duration");
                });
    }

    @Test
    void anUnknownExtensionModeFailsStartupNamingTheProperty() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.extensions.key-update=sometimes")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sometimes");
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("secure-channel.extensions.key-update");
                });
    }

    @Test
    void productionProfileIsTheDefaultAndRefusesMockAttestation() {
        runner.withPropertyValues("secure-channel.attestation.provider=mock",
                        "secure-channel.attestation.expected-measurements[0]=" + MEASUREMENT)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertRejected(context.getStartupFailure(), "insecure mock");
                });
    }

    @Test
    void productionProfileRefusesMissingExpectedMeasurements() {
        runner.withBean(AttestationProvider.class, TestAttestation.Provider::new)
                .withBean(AttestationVerifier.class, TestAttestation.Verifier::new)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertRejected(context.getStartupFailure(), "expected measurements");
                });
    }

    @Test
    void productionProfileAcceptsSecureAttestationWithMeasurements() {
        runner.withBean(AttestationProvider.class, TestAttestation.Provider::new)
                .withBean(AttestationVerifier.class, TestAttestation.Verifier::new)
                .withPropertyValues("secure-channel.attestation.expected-measurements[0]=" + MEASUREMENT)
                .run(context -> assertThat(context.getBean(SessionConfig.class).securityProfile()).isEqualTo(SecurityProfile.PRODUCTION));
    }

    @Test
    void requireMeasurementsRefusesADevelopmentProfileWithoutThem() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                        "secure-channel.require-measurements=true")
                .run(context -> assertRejected(context.getStartupFailure(), "required"));
    }

    @Test
    void noProviderIsAStartupFailureThatNamesTheProperty() {
        runner.withPropertyValues("secure-channel.security-profile=development")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = assertRejected(context.getStartupFailure(), "no attestation provider");
                    assertThat(analysis.getAction()).contains("secure-channel.attestation.provider");
                });
    }

    @Test
    void userAttestationBeansReplaceTheMock() {
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .withBean(AttestationProvider.class, TestAttestation.Provider::new)
                .withBean(AttestationVerifier.class, TestAttestation.Verifier::new)
                .run(context -> {
                    assertThat(context).getBeans(AttestationProvider.class).hasSize(1);
                    assertThat(context.getBean(SessionConfig.class).attestationProvider()).isInstanceOf(TestAttestation.Provider.class);
                });
    }

    @Test
    void aUserSessionConfigBacksTheAutoConfigurationOff() {
        SessionConfig own = SessionConfig.insecureDevelopment();
        runner.withBean(SessionConfig.class, () -> own)
                .run(context -> assertThat(context.getBean(SessionConfig.class)).isSameAs(own));
    }

    @Test
    void mockBeansAppearOnlyWhenSelected() {
        // Another provider with no beans of its own on the classpath: the mock must not stand in.
        runner.withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=sev-snp")
                .run(context -> assertRejected(context.getStartupFailure(), "provider is sev-snp"));
    }

    private static FailureAnalysis assertRejected(Throwable failure, String fragment) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof SecureChannelException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(SecureChannelException.class);
        assertThat(((SecureChannelException) cause).reason()).isEqualTo(FailureReason.CONFIGURATION_REJECTED);
        assertThat(cause.getMessage()).contains(fragment);
        FailureAnalysis analysis = new SecureChannelConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains(fragment);
        assertThat(analysis.getAction()).isNotBlank();
        return analysis;
    }
}
