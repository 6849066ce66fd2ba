package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpPolicy.Pin;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpPolicySettingException;
import dev.securechannel.attestation.sevsnp.SnpPolicySettings;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The SEV-SNP policy options: each option's method hands its value as given to
 * {@link SnpPolicySettings}, which reads and checks it. The baseline is
 * {@link SnpPolicy#production()} and each option given overrides exactly one setting; an option
 * left out keeps the baseline. Option names are the settings' keys, as are the Spring
 * properties {@code secure-channel.attestation.sev-snp.*}, so a policy can move between a
 * configuration file and this tool unchanged. A picocli argument group of
 * {@link VerifySevSnpCommand}.
 */
public final class SnpPolicyOptions {

    /** What the options given set: picocli calls the method of each option given with its value. */
    private final SnpPolicySettings.Builder settings = SnpPolicySettings.builder();

    // Each option's order keeps the help in this sequence: reflection does not list methods in declaration order.

    @Option(names = "--measurement", order = 1, paramLabel = "HEX",
            description = "Pin MEASUREMENT (48 bytes).")
    void measurement(@Nullable String hex) {
        settings.pin(Pin.MEASUREMENT, hex);
    }

    @Option(names = "--host-data", order = 2, paramLabel = "HEX",
            description = "Pin HOST_DATA (32 bytes).")
    void hostData(@Nullable String hex) {
        settings.pin(Pin.HOST_DATA, hex);
    }

    @Option(names = "--id-key-digest", order = 3, paramLabel = "HEX",
            description = "Pin ID_KEY_DIGEST (48 bytes).")
    void idKeyDigest(@Nullable String hex) {
        settings.pin(Pin.ID_KEY_DIGEST, hex);
    }

    @Option(names = "--author-key-digest", order = 4, paramLabel = "HEX",
            description = "Pin AUTHOR_KEY_DIGEST (48 bytes).")
    void authorKeyDigest(@Nullable String hex) {
        settings.pin(Pin.AUTHOR_KEY_DIGEST, hex);
    }

    @Option(names = "--family-id", order = 5, paramLabel = "HEX",
            description = "Pin FAMILY_ID (16 bytes).")
    void familyId(@Nullable String hex) {
        settings.pin(Pin.FAMILY_ID, hex);
    }

    @Option(names = "--image-id", order = 6, paramLabel = "HEX",
            description = "Pin IMAGE_ID (16 bytes).")
    void imageId(@Nullable String hex) {
        settings.pin(Pin.IMAGE_ID, hex);
    }

    @Option(names = "--minimum-tcb.bootloader", order = 7, paramLabel = "N", description = "Minimum REPORTED_TCB boot loader SPL (0-255).")
    void minimumBootloader(@Nullable Integer spl) {
        settings.minimumTcb(TcbComponent.BOOTLOADER, spl);
    }

    @Option(names = "--minimum-tcb.tee", order = 8, paramLabel = "N", description = "Minimum REPORTED_TCB TEE SPL (0-255).")
    void minimumTee(@Nullable Integer spl) {
        settings.minimumTcb(TcbComponent.TEE, spl);
    }

    @Option(names = "--minimum-tcb.snp", order = 9, paramLabel = "N", description = "Minimum REPORTED_TCB SNP firmware SPL (0-255).")
    void minimumSnp(@Nullable Integer spl) {
        settings.minimumTcb(TcbComponent.SNP, spl);
    }

    @Option(names = "--minimum-tcb.microcode", order = 10, paramLabel = "N", description = "Minimum REPORTED_TCB microcode SPL (0-255).")
    void minimumMicrocode(@Nullable Integer spl) {
        settings.minimumTcb(TcbComponent.MICROCODE, spl);
    }

    @Option(names = "--minimum-tcb.fmc", order = 11, paramLabel = "N", description = "Minimum REPORTED_TCB FMC SPL (0-255; Turin only).")
    void minimumFmc(@Nullable Integer spl) {
        settings.minimumTcb(TcbComponent.FMC, spl);
    }

    @Option(names = "--minimum-report-version", order = 12, paramLabel = "N", description = "Lowest report VERSION accepted (2-5; default 2).")
    void minimumReportVersion(@Nullable Integer version) {
        settings.minimumReportVersion(version);
    }

    @Option(names = "--minimum-guest-svn", order = 13, paramLabel = "N", description = "Lowest GUEST_SVN accepted (default 0).")
    void minimumGuestSvn(@Nullable Long svn) {
        settings.minimumGuestSvn(svn);
    }

    @Option(names = "--accepted-products", order = 14, paramLabel = "PRODUCT", split = ",",
            description = "Products accepted, comma-separated: milan, genoa, turin (default all).")
    void acceptedProducts(@Nullable List<SnpProduct> products) {
        settings.acceptedProducts(products);
    }

    @Option(names = "--allow-debug", order = 15, arity = "0..1", paramLabel = "true|false",
            description = "Accept guests whose POLICY.DEBUG is set (the host can read their memory).")
    void allowDebug(@Nullable Boolean allow) {
        settings.allowDebug(allow);
    }

    @Option(names = "--allow-migration-agent", order = 16, arity = "0..1", paramLabel = "true|false",
            description = "Accept guests whose POLICY.MIGRATE_MA is set.")
    void allowMigrationAgent(@Nullable Boolean allow) {
        settings.allowMigrationAgent(allow);
    }

    @Option(names = "--required-vmpl", order = 17, paramLabel = "N", description = "VMPL the report must be requested for (0-3; default 0).")
    void requiredVmpl(@Nullable Integer vmpl) {
        settings.requiredVmpl(vmpl);
    }

    @Option(names = "--allow-any-vmpl", order = 18, arity = "0..1", paramLabel = "true|false",
            description = "Accept any guest VMPL (host-requested reports are still rejected).")
    void allowAnyVmpl(@Nullable Boolean allow) {
        settings.allowAnyVmpl(allow);
    }

    @Option(names = "--smt-allowed", order = 19, arity = "1", paramLabel = "true|false",
            description = "Require POLICY.SMT to have this value (default: not checked).")
    void smtAllowed(@Nullable Boolean smtAllowed) {
        settings.smtAllowed(smtAllowed);
    }

    @Option(names = "--single-socket", order = 20, arity = "1", paramLabel = "true|false",
            description = "Require POLICY.SINGLE_SOCKET to have this value (default: not checked).")
    void singleSocket(@Nullable Boolean singleSocket) {
        settings.singleSocket(singleSocket);
    }

    @Option(names = "--check-tcb-binding", order = 21, arity = "1", paramLabel = "true|false",
            description = "Bind the VCEK/VLEK to REPORTED_TCB and CHIP_ID (default true).")
    void checkTcbBinding(@Nullable Boolean check) {
        settings.checkTcbBinding(check);
    }

    @Option(names = "--allow-masked-chip-id", order = 22, arity = "0..1", paramLabel = "true|false",
            description = "Accept a VCEK-signed report whose CHIP_ID is all zero, without the hwID check.")
    void allowMaskedChipId(@Nullable Boolean allow) {
        settings.allowMaskedChipId(allow);
    }

    @Option(names = "--require-crl", order = 23, arity = "0..1", paramLabel = "true|false",
            description = "Reject unless a CRL is given with --crl.")
    void requireCrl(@Nullable Boolean require) {
        settings.requireCrl(require);
    }

    @Option(names = "--require-committed-tcb-equals-current", order = 24, arity = "0..1", paramLabel = "true|false",
            description = "Reject provisional firmware: COMMITTED_TCB must equal CURRENT_TCB (rejects typical Azure reports).")
    void requireCommittedTcbEqualsCurrent(@Nullable Boolean require) {
        settings.requireCommittedTcbEqualsCurrent(require);
    }

    /**
     * The production policy with every given option applied.
     *
     * @throws InvalidInputException for a value the policy refuses (wrong pin length, SPL out
     *                               of range...) or contradicting options, naming the option
     */
    public SnpPolicy toPolicy() {
        try {
            return settings.build().toPolicy(SnpPolicy.production(), key -> "--" + key);
        } catch (SnpPolicySettingException refused) {
            throw new InvalidInputException(refused.rejection().message(), refused);
        }
    }
}
