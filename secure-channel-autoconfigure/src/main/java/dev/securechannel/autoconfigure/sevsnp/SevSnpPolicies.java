package dev.securechannel.autoconfigure.sevsnp;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.util.HexFormat;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Builds the {@link SnpPolicy} that {@code secure-channel.attestation.sev-snp.*} describes. */
final class SevSnpPolicies {

    private SevSnpPolicies() {
    }

    static SnpPolicy from(SevSnpProperties properties) {
        try {
            return build(properties);
        } catch (IllegalArgumentException e) {
            // The builder names the field and the allowed range; say which property set it.
            throw new ConfigurationRejectedException(ConfigurationProblem.SEV_SNP_POLICY_INVALID, "secure-channel.attestation.sev-snp: " + e.getMessage(), e);
        }
    }

    private static SnpPolicy build(SevSnpProperties properties) {
        SnpPolicy.Builder policy = SnpPolicy.production().toBuilder()
                .rejectDebug(!properties.isAllowDebug())
                .rejectMigrationAgent(!properties.isAllowMigrationAgent())
                .requireSmtAllowed(properties.getSmtAllowed())
                .requireSingleSocket(properties.getSingleSocket())
                .minimumReportVersion(properties.getMinimumReportVersion())
                .minimumGuestSvn(properties.getMinimumGuestSvn())
                .acceptedProducts(properties.getAcceptedProducts())
                .checkTcbBinding(properties.isCheckTcbBinding())
                .allowMaskedChipId(properties.isAllowMaskedChipId())
                .requireCrl(properties.isRequireCrl())
                .requireCommittedTcbEqualsCurrent(properties.isRequireCommittedTcbEqualsCurrent())
                .expectedMeasurement(hex("measurement", properties.getMeasurement()))
                .expectedHostData(hex("host-data", properties.getHostData()))
                .expectedIdKeyDigest(hex("id-key-digest", properties.getIdKeyDigest()))
                .expectedAuthorKeyDigest(hex("author-key-digest", properties.getAuthorKeyDigest()))
                .expectedFamilyId(hex("family-id", properties.getFamilyId()))
                .expectedImageId(hex("image-id", properties.getImageId()));
        if (properties.isAllowAnyVmpl()) {
            policy.anyVmpl();
        } else {
            policy.requiredVmpl(properties.getRequiredVmpl());
        }
        SevSnpProperties.MinimumTcb minimum = properties.getMinimumTcb();
        minimum(policy, TcbComponent.BOOTLOADER, minimum.getBootloader());
        minimum(policy, TcbComponent.TEE, minimum.getTee());
        minimum(policy, TcbComponent.SNP, minimum.getSnp());
        minimum(policy, TcbComponent.MICROCODE, minimum.getMicrocode());
        minimum(policy, TcbComponent.FMC, minimum.getFmc());
        return policy.build();
    }

    private static void minimum(SnpPolicy.Builder policy, TcbComponent component, @Nullable Integer spl) {
        if (spl != null) {
            policy.minimumTcb(component, spl);
        }
    }

    private static byte @Nullable [] hex(String property, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationRejectedException(ConfigurationProblem.SEV_SNP_POLICY_INVALID,
                    "secure-channel.attestation.sev-snp." + property + " is not hex: " + e.getMessage(), e);
        }
    }
}
