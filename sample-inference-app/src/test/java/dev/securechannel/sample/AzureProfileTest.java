package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The azure profile selects production and the Azure SEV-SNP provider, with the measurement
 * from the environment. Only its file is read: starting it needs an Azure confidential VM.
 */
class AzureProfileTest {

    @Test
    void selectsProductionTheAzureProviderAndAMeasurementFromTheEnvironment() throws Exception {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load("azure", new ClassPathResource("application-azure.yml"));

        PropertySource<?> azure = sources.get(0);
        assertThat(azure.getProperty("secure-channel.security-profile")).hasToString("production");
        assertThat(azure.getProperty("secure-channel.attestation.provider")).hasToString("sev-snp-azure");
        // No default after the variable: without it, startup fails rather than accepting any peer.
        assertThat(azure.getProperty("secure-channel.attestation.expected-measurements[0]")).hasToString("${EXPECTED_MEASUREMENT_0}");
    }
}
