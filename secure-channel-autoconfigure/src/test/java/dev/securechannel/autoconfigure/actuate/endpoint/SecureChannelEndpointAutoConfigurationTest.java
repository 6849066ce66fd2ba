package dev.securechannel.autoconfigure.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.actuate.endpoint.CryptoBackendDescriptor;
import dev.securechannel.actuate.endpoint.SecureChannelEndpoint;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelMockAttestationAutoConfiguration;
import dev.securechannel.autoconfigure.health.SecureChannelHealthContributorAutoConfiguration;
import dev.securechannel.autoconfigure.metrics.SecureChannelMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The endpoint auto-configuration follows Boot's endpoint exposure and access properties. */
class SecureChannelEndpointAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelMetricsAutoConfiguration.class,
                    SecureChannelHealthContributorAutoConfiguration.class, SecureChannelEndpointAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
            // As SpringApplication does, so that property values bind leniently ("none" for Access.NONE).
            .withInitializer(context -> context.getEnvironment()
                    .setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()));

    @Test
    void isAvailableWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=securechannel")
                .run(context -> assertThat(context).hasSingleBean(SecureChannelEndpoint.class));
    }

    @Test
    void isNotAvailableUnlessExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SecureChannelEndpoint.class));
    }

    @Test
    void isNotAvailableWhenItsAccessIsNone() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=securechannel",
                "management.endpoint.securechannel.access=none")
                .run(context -> assertThat(context).doesNotHaveBean(SecureChannelEndpoint.class));
    }

    @Test
    void reportsMetricsAndTheSelfCheckWhenBothAreConfigured() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("management.endpoints.web.exposure.include=securechannel")
                .run(context -> {
                    SecureChannelEndpoint.SecureChannelDescriptor report = context.getBean(SecureChannelEndpoint.class).report();
                    assertThat(report.sessions()).isNotNull();
                    assertThat(report.attestation().healthy()).isTrue();
                });
    }

    @Test
    void reportsTheLocalAttestationAloneWithoutMetricsOrHealth() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=securechannel",
                "management.health.securechannel.enabled=false")
                .run(context -> {
                    SecureChannelEndpoint.SecureChannelDescriptor report = context.getBean(SecureChannelEndpoint.class).report();
                    assertThat(report.sessions()).isNull();
                    assertThat(report.attestation().provider()).isEqualTo("mock");
                    assertThat(report.attestation().secure()).isFalse();
                    assertThat(report.attestation().healthy()).isNull();
                });
    }

    @Test
    void reportsWhichCryptoBackendRunsAndWhy() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=securechannel", "secure-channel.crypto.backend=jdk")
                .run(context -> {
                    CryptoBackendDescriptor crypto = context.getBean(SecureChannelEndpoint.class).report().crypto();
                    assertThat(crypto).isNotNull();
                    assertThat(crypto.backend()).isEqualTo("jdk");
                    assertThat(crypto.description()).endsWith(": chacha20-poly1305=jdk aes-256-gcm=jdk x25519=jdk hash=jdk");
                    assertThat(crypto.operations()).containsOnlyKeys("chacha20-poly1305", "aes-256-gcm", "x25519", "hash");
                    assertThat(crypto.operations().get("aes-256-gcm").reason()).contains("chosen explicitly");
                });
    }
}
