package dev.securechannel.autoconfigure.sevsnp;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.collateral.AmdKdsClient;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.ImdsThimClient;
import dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral;
import dev.securechannel.attestation.sevsnp.guest.AzureSevSnpAttestationProvider;
import dev.securechannel.attestation.sevsnp.guest.SevSnpAttestationProvider;
import dev.securechannel.attestation.sevsnp.guest.SnpReportDevice;
import dev.securechannel.attestation.sevsnp.guest.TpmDevice;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;

/**
 * AMD SEV-SNP attestation when {@code secure-channel.attestation.provider} is {@code sev-snp}
 * (Linux guests: reports through configfs-tsm, certificates from the host or AMD KDS) or
 * {@code sev-snp-azure} (Azure confidential VMs: HCL reports through the vTPM, certificates
 * from IMDS). The policy, the collateral cache and each provider and verifier are beans a user
 * bean of the same type replaces. A missing device fails the start with a readable report
 * rather than the first handshake.
 */
@AutoConfiguration(before = SecureChannelAutoConfiguration.class)
@Conditional(SecureChannelSevSnpAutoConfiguration.OnSevSnpProvider.class)
@EnableConfigurationProperties(SevSnpProperties.class)
public final class SecureChannelSevSnpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SnpPolicy secureChannelSnpPolicy(SevSnpProperties properties) {
        return properties.policy();
    }

    @Bean
    @ConditionalOnMissingBean
    CollateralCache secureChannelSnpCollateral(SevSnpProperties properties) throws IOException {
        SevSnpProperties.Collateral collateral = properties.getCollateral();
        Clock clock = Clock.systemUTC();
        if (collateral.getSource() == SevSnpProperties.CollateralSource.OFFLINE) {
            OfflineCollateral offline = OfflineCollateral.load(collateral.getCertificates(), collateral.getCrls());
            return new CollateralCache(offline, offline, clock, collateral.getCacheSize(), collateral.getCrlMaxAge());
        }
        AmdKdsClient kds = new AmdKdsClient(collateral.getKdsUrl(), collateral.getKdsRequestSpacing(), collateral.getKdsTimeout());
        return new CollateralCache(kds, kds, clock, collateral.getCacheSize(), collateral.getCrlMaxAge());
    }

    /** {@code provider=sev-snp}: a Linux SEV-SNP guest. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "secure-channel.attestation", name = "provider", havingValue = "sev-snp")
    static class LinuxGuest {

        @Bean
        @ConditionalOnMissingBean
        AttestationProvider secureChannelAttestationProvider(SevSnpProperties properties, CollateralCache collateral) {
            if (!Files.isDirectory(properties.getConfigfsPath())) {
                throw new ConfigurationRejectedException(ConfigurationProblem.ATTESTATION_DEVICE_MISSING, "secure-channel.attestation.provider=sev-snp needs "
                        + "configfs-tsm at " + properties.getConfigfsPath() + " (secure-channel.attestation.sev-snp.configfs-path): "
                        + "this is not an SEV-SNP guest, or its kernel (6.7 or later) lacks TSM reports");
            }
            SnpReportDevice device = SnpReportDevice.configfsTsm(properties.getConfigfsPath(), properties.getPrivilegeLevel());
            return new SevSnpAttestationProvider(device, collateral, properties.getProduct());
        }

        @Bean
        @ConditionalOnMissingBean
        AttestationVerifier secureChannelAttestationVerifier(SnpPolicy policy, CollateralCache collateral) {
            return new SevSnpAttestationVerifier(policy, collateral, Clock.systemUTC());
        }
    }

    /** {@code provider=sev-snp-azure}: an Azure confidential VM. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "secure-channel.attestation", name = "provider", havingValue = "sev-snp-azure")
    static class AzureGuest {

        @Bean
        @ConditionalOnMissingBean
        AttestationProvider secureChannelAttestationProvider(SevSnpProperties properties) {
            if (!Files.exists(properties.getTpmDevice())) {
                throw new ConfigurationRejectedException(ConfigurationProblem.ATTESTATION_DEVICE_MISSING, "secure-channel.attestation.provider=sev-snp-azure "
                        + "needs the vTPM at " + properties.getTpmDevice() + " (secure-channel.attestation.sev-snp.tpm-device): "
                        + "this is not an Azure confidential VM, or the process may not open the TPM");
            }
            return new AzureSevSnpAttestationProvider(TpmDevice.linux(properties.getTpmDevice()), properties.getReportRefreshInterval(),
                    properties.getMaxReportReads(), new ImdsThimClient(properties.getImdsUrl(), properties.getImdsTimeout()));
        }

        @Bean
        @ConditionalOnMissingBean
        AttestationVerifier secureChannelAttestationVerifier(SnpPolicy policy, CollateralCache collateral) {
            return new AzureSevSnpAttestationVerifier(policy, collateral, Clock.systemUTC());
        }
    }

    /** Either SEV-SNP provider. */
    static final class OnSevSnpProvider extends AnyNestedCondition {

        OnSevSnpProvider() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "secure-channel.attestation", name = "provider", havingValue = "sev-snp")
        static final class LinuxGuest {
        }

        @ConditionalOnProperty(prefix = "secure-channel.attestation", name = "provider", havingValue = "sev-snp-azure")
        static final class AzureGuest {
        }
    }
}
