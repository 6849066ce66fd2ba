package dev.securechannel.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelMockAttestationAutoConfiguration;
import dev.securechannel.health.SecureChannelHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health auto-configuration: a started self-check and a contributor named {@code securechannel}. */
class SecureChannelHealthContributorAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelHealthContributorAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock");

    @Test
    void contributesSecurechannelHealthFromAStartedSelfCheck() {
        runner.run(context -> {
            // Boot names a contributor after its bean, less the "HealthIndicator" suffix.
            assertThat(context).hasBean("securechannelHealthIndicator").hasSingleBean(SecureChannelHealthIndicator.class);
            assertThat(context.getBean(LocalAttestationMonitor.class).status().checked()).isTrue();
        });
    }

    @Test
    void canBeDisabledLikeAnyHealthIndicator() {
        runner.withPropertyValues("management.health.securechannel.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SecureChannelHealthIndicator.class)
                        .doesNotHaveBean(LocalAttestationMonitor.class));
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LocalAttestationMonitor.class));
    }
}
