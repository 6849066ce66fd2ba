package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Each misconfiguration stops a real application start with Spring Boot's report naming the
 * property, its value, its origin and what is allowed (issue 13). The values come from
 * {@code misconfigurations.yml}, one profile each, so that every report has a file and line.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisconfigurationReportTest {

    @Test
    void aFrameSizeAboveTheProtocolLimitIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("frame-size");
        assertThat(output).contains("Property: secure-channel.maxFrameSize", "Value: \"67108864B\"",
                "Origin: class path resource [misconfigurations.yml] - 10:19", "Reason: must be between 16B and 32MB");
    }

    @Test
    void aZeroFrameSizeOnTheCommandLineIsReportedWithThatOrigin(CapturedOutput output) {
        assertStartFails("default", "--secure-channel.max-frame-size=0");
        assertThat(output).contains("Property: secure-channel.maxFrameSize", "Value: \"0B\"",
                "Origin: \"secure-channel.max-frame-size\" from property source \"commandLineArgs\"",
                "Reason: must be between 16B and 32MB");
    }

    @Test
    void aNegativeHandshakeTimeoutIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("handshake-timeout");
        assertThat(output).contains("Property: secure-channel.handshakeTimeout", "Value: \"PT-5S\"",
                "Origin: class path resource [misconfigurations.yml] - 14:22", "Reason: must be a positive duration");
    }

    @Test
    void anUnresolvedPlaceholderAsExpectedMeasurementNamesThePlaceholder(CapturedOutput output) {
        assertStartFails("measurement-placeholder");
        assertThat(output).contains("Property: secure-channel.attestation.expected-measurements.0",
                "Value: \"${EXPECTED_MEASUREMENT_0_NEVER_SET}\"", "Origin: class path resource [misconfigurations.yml] - 20:10",
                "Reason: must be 48 bytes of hex (96 hex digits); the placeholder ${EXPECTED_MEASUREMENT_0_NEVER_SET} was not resolved");
    }

    @Test
    void anExpectedMeasurementOfTheWrongLengthIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("measurement-length");
        assertThat(output).contains("Property: secure-channel.attestation.expected-measurements.0", "Value: \"00ff\"",
                "Origin: class path resource [misconfigurations.yml] - 26:10", "Reason: must be 48 bytes of hex (96 hex digits), not 2 bytes");
    }

    @Test
    void anUnknownProviderIsReportedWithTheValidValues(CapturedOutput output) {
        assertStartFails("unknown-provider");
        assertThat(output).contains("Property: secure-channel.attestation.provider", "Value: \"sev-snpp\"",
                "Origin: class path resource [misconfigurations.yml] - 31:15", "Reason: must be one of mock, sev-snp, sev-snp-azure");
    }

    @Test
    void anEmptyProviderIsReportedWithTheValidValues(CapturedOutput output) {
        assertStartFails("empty-provider");
        assertThat(output).contains("Property: secure-channel.attestation.provider", "Value: \"\"",
                "Origin: class path resource [misconfigurations.yml] - 36:15", "Reason: must be one of mock, sev-snp, sev-snp-azure");
    }

    @Test
    void aKeyUpdateIntervalBelowOneMegabyteIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("key-update");
        assertThat(output).contains("Property: secure-channel.extensions.keyUpdateAfter", "Value: \"1024B\"",
                "Origin: class path resource [misconfigurations.yml] - 41:23", "Reason: must be at least 1MB");
    }

    @Test
    void aServerLimitOfZeroIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("server-limits");
        assertThat(output).contains("Property: secure-channel.server.maxSessions", "Value: \"0\"",
                "Origin: class path resource [misconfigurations.yml] - 46:19", "Reason: must be at least 1");
    }

    @Test
    void aFirstRetryDelayAboveTheLongestIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("client-backoff");
        assertThat(output).contains("Property: secure-channel.client.initialBackoff", "Value: \"PT1M\"",
                "Origin: class path resource [misconfigurations.yml] - 51:22", "Reason: must not exceed max-backoff (10000ms)");
    }

    @Test
    void anEmptyKeyPoolIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("key-pool");
        assertThat(output).contains("Property: secure-channel.key-pool.size", "Value: \"0\"",
                "Origin: class path resource [misconfigurations.yml] - 57:11", "Reason: must be at least 1");
    }

    @Test
    void aSevSnpPinOfTheWrongLengthIsReportedWithItsOrigin(CapturedOutput output) {
        assertStartFails("sev-snp-pin");
        assertThat(output).contains("Property: secure-channel.attestation.sev-snp.hostData", "Value: \"abcd\"",
                "Origin: class path resource [misconfigurations.yml] - 64:18", "Reason: must be 32 bytes of hex (64 hex digits), not 2 bytes");
    }

    @Test
    void noProviderIsReportedWithTheValidValuesAndTheAlternative(CapturedOutput output) {
        assertStartFails("default", "--spring.config.name=no-such-file", "--secure-channel.security-profile=development");
        assertThat(output).contains("secure-channel refused its configuration",
                "Set secure-channel.attestation.provider to one of mock, sev-snp, sev-snp-azure",
                "or define AttestationProvider and AttestationVerifier beans");
    }

    @Test
    void mockAttestationInProductionIsReportedWithTheWayOut(CapturedOutput output) {
        assertStartFails("default", "--spring.config.name=no-such-file", "--secure-channel.attestation.provider=mock",
                "--secure-channel.attestation.expected-measurements[0]=" + "ab".repeat(48));
        assertThat(output).contains("the production profile refuses insecure mock attestation",
                "Mock attestation proves nothing", "secure-channel.security-profile=development");
    }

    private static void assertStartFails(String profile, String... args) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(MinimalApplication.class)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false)
                .profiles(profile)
                .properties("spring.config.name=misconfigurations");
        assertThatThrownBy(() -> application.run(args)).isNotNull();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApplication {
    }
}
