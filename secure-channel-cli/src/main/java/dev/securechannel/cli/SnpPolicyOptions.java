package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpPolicy.Pin;
import dev.securechannel.attestation.sevsnp.SnpPolicySettingException;
import dev.securechannel.attestation.sevsnp.SnpPolicySettings;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The SEV-SNP policy options, handed as they are to {@link SnpPolicySettings}, which reads and
 * checks them: the baseline is {@link SnpPolicy#production()} and each option given overrides
 * exactly one setting; an option left out keeps the baseline. Option names are the settings'
 * keys, as are the Spring properties {@code secure-channel.attestation.sev-snp.*}, so a policy
 * can move between a configuration file and this tool unchanged. A picocli argument group of
 * {@link VerifySevSnpCommand}.
 */
public final class SnpPolicyOptions {

    @Option(names = "--measurement", paramLabel = "HEX",
            description = "Pin MEASUREMENT (48 bytes).")
    @Nullable String measurement;

    @Option(names = "--host-data", paramLabel = "HEX",
            description = "Pin HOST_DATA (32 bytes).")
    @Nullable String hostData;

    @Option(names = "--id-key-digest", paramLabel = "HEX",
            description = "Pin ID_KEY_DIGEST (48 bytes).")
    @Nullable String idKeyDigest;

    @Option(names = "--author-key-digest", paramLabel = "HEX",
            description = "Pin AUTHOR_KEY_DIGEST (48 bytes).")
    @Nullable String authorKeyDigest;

    @Option(names = "--family-id", paramLabel = "HEX",
            description = "Pin FAMILY_ID (16 bytes).")
    @Nullable String familyId;

    @Option(names = "--image-id", paramLabel = "HEX",
            description = "Pin IMAGE_ID (16 bytes).")
    @Nullable String imageId;

    @Option(names = "--minimum-tcb.bootloader", paramLabel = "N", description = "Minimum REPORTED_TCB boot loader SPL (0-255).")
    @Nullable Integer minimumBootloader;

    @Option(names = "--minimum-tcb.tee", paramLabel = "N", description = "Minimum REPORTED_TCB TEE SPL (0-255).")
    @Nullable Integer minimumTee;

    @Option(names = "--minimum-tcb.snp", paramLabel = "N", description = "Minimum REPORTED_TCB SNP firmware SPL (0-255).")
    @Nullable Integer minimumSnp;

    @Option(names = "--minimum-tcb.microcode", paramLabel = "N", description = "Minimum REPORTED_TCB microcode SPL (0-255).")
    @Nullable Integer minimumMicrocode;

    @Option(names = "--minimum-tcb.fmc", paramLabel = "N", description = "Minimum REPORTED_TCB FMC SPL (0-255; Turin only).")
    @Nullable Integer minimumFmc;

    @Option(names = "--minimum-report-version", paramLabel = "N", description = "Lowest report VERSION accepted (2-5; default 2).")
    @Nullable Integer minimumReportVersion;

    @Option(names = "--minimum-guest-svn", paramLabel = "N", description = "Lowest GUEST_SVN accepted (default 0).")
    @Nullable Long minimumGuestSvn;

    @Option(names = "--accepted-products", paramLabel = "PRODUCT", split = ",",
            description = "Products accepted, comma-separated: milan, genoa, turin (default all).")
    @Nullable List<SnpProduct> acceptedProducts;

    @Option(names = "--allow-debug", arity = "0..1", paramLabel = "true|false",
            description = "Accept guests whose POLICY.DEBUG is set (the host can read their memory).")
    @Nullable Boolean allowDebug;

    @Option(names = "--allow-migration-agent", arity = "0..1", paramLabel = "true|false",
            description = "Accept guests whose POLICY.MIGRATE_MA is set.")
    @Nullable Boolean allowMigrationAgent;

    @Option(names = "--required-vmpl", paramLabel = "N", description = "VMPL the report must be requested for (0-3; default 0).")
    @Nullable Integer requiredVmpl;

    @Option(names = "--allow-any-vmpl", arity = "0..1", paramLabel = "true|false",
            description = "Accept any guest VMPL (host-requested reports are still rejected).")
    @Nullable Boolean allowAnyVmpl;

    @Option(names = "--smt-allowed", arity = "1", paramLabel = "true|false",
            description = "Require POLICY.SMT to have this value (default: not checked).")
    @Nullable Boolean smtAllowed;

    @Option(names = "--single-socket", arity = "1", paramLabel = "true|false",
            description = "Require POLICY.SINGLE_SOCKET to have this value (default: not checked).")
    @Nullable Boolean singleSocket;

    @Option(names = "--check-tcb-binding", arity = "1", paramLabel = "true|false",
            description = "Bind the VCEK/VLEK to REPORTED_TCB and CHIP_ID (default true).")
    @Nullable Boolean checkTcbBinding;

    @Option(names = "--allow-masked-chip-id", arity = "0..1", paramLabel = "true|false",
            description = "Accept a VCEK-signed report whose CHIP_ID is all zero, without the hwID check.")
    @Nullable Boolean allowMaskedChipId;

    @Option(names = "--require-crl", arity = "0..1", paramLabel = "true|false",
            description = "Reject unless a CRL is given with --crl.")
    @Nullable Boolean requireCrl;

    @Option(names = "--require-committed-tcb-equals-current", arity = "0..1", paramLabel = "true|false",
            description = "Reject provisional firmware: COMMITTED_TCB must equal CURRENT_TCB (rejects typical Azure reports).")
    @Nullable Boolean requireCommittedTcbEqualsCurrent;

    /**
     * The production policy with every given option applied.
     *
     * @throws InvalidInputException for a value the policy refuses (wrong pin length, SPL out
     *                               of range...) or contradicting options, naming the option
     */
    public SnpPolicy toPolicy() {
        try {
            return settings().toPolicy(SnpPolicy.production(), key -> "--" + key);
        } catch (SnpPolicySettingException refused) {
            throw new InvalidInputException(refused.rejection().message(), refused);
        }
    }

    /** The options as given; the core reads and checks them, under the same names. */
    private SnpPolicySettings settings() {
        return SnpPolicySettings.builder()
                .pin(Pin.MEASUREMENT, measurement)
                .pin(Pin.HOST_DATA, hostData)
                .pin(Pin.ID_KEY_DIGEST, idKeyDigest)
                .pin(Pin.AUTHOR_KEY_DIGEST, authorKeyDigest)
                .pin(Pin.FAMILY_ID, familyId)
                .pin(Pin.IMAGE_ID, imageId)
                .minimumTcb(TcbComponent.BOOTLOADER, minimumBootloader)
                .minimumTcb(TcbComponent.TEE, minimumTee)
                .minimumTcb(TcbComponent.SNP, minimumSnp)
                .minimumTcb(TcbComponent.MICROCODE, minimumMicrocode)
                .minimumTcb(TcbComponent.FMC, minimumFmc)
                .minimumReportVersion(minimumReportVersion)
                .minimumGuestSvn(minimumGuestSvn)
                .acceptedProducts(acceptedProducts)
                .allowDebug(allowDebug)
                .allowMigrationAgent(allowMigrationAgent)
                .requiredVmpl(requiredVmpl)
                .allowAnyVmpl(allowAnyVmpl)
                .smtAllowed(smtAllowed)
                .singleSocket(singleSocket)
                .checkTcbBinding(checkTcbBinding)
                .allowMaskedChipId(allowMaskedChipId)
                .requireCrl(requireCrl)
                .requireCommittedTcbEqualsCurrent(requireCommittedTcbEqualsCurrent)
                .build();
    }
}
