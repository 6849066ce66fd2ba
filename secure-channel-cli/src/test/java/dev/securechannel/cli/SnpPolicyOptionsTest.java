package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The mapping of each policy option onto one {@link SnpPolicy} setting, starting from
 * {@link SnpPolicy#production()}; options are parsed by picocli exactly as on the command line.
 */
class SnpPolicyOptionsTest {

    private static final String MEASUREMENT = "00".repeat(47) + "ab";

    @Test
    void noPolicyOptionGivesTheProductionPolicy() {
        SnpPolicy policy = policyFrom();
        SnpPolicy production = SnpPolicy.production();

        assertThat(policy.toString()).isEqualTo(production.toString());
        assertThat(policy.checkTcbBinding()).isTrue();
        assertThat(policy.requiredVmpl()).hasValue(0);
        assertThat(policy.rejectDebug()).isTrue();
    }

    @Test
    void pinsAreDecodedFromHexInEitherCase() {
        SnpPolicy policy = policyFrom(
                "--measurement", MEASUREMENT.toUpperCase(Locale.ROOT),
                "--host-data", "11".repeat(32),
                "--id-key-digest", "22".repeat(48),
                "--author-key-digest", "33".repeat(48),
                "--family-id", "44".repeat(16),
                "--image-id", "55".repeat(16));

        assertThat(policy.expectedMeasurement()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex(MEASUREMENT)));
        assertThat(policy.expectedHostData()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("11".repeat(32))));
        assertThat(policy.expectedIdKeyDigest()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("22".repeat(48))));
        assertThat(policy.expectedAuthorKeyDigest()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("33".repeat(48))));
        assertThat(policy.expectedFamilyId()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("44".repeat(16))));
        assertThat(policy.expectedImageId()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("55".repeat(16))));
    }

    @Test
    void minimumTcbOptionsSetOneComponentEach() {
        SnpPolicy policy = policyFrom("--minimum-tcb.bootloader", "1", "--minimum-tcb.tee", "2", "--minimum-tcb.snp", "3",
                "--minimum-tcb.microcode", "4", "--minimum-tcb.fmc", "5");

        assertThat(policy.minimumTcb()).isEqualTo(Map.of(TcbComponent.BOOTLOADER, 1, TcbComponent.TEE, 2,
                TcbComponent.SNP, 3, TcbComponent.MICROCODE, 4, TcbComponent.FMC, 5));
    }

    @Test
    void versionSvnAndProductOptionsSetTheirMinimumsAndAllowList() {
        SnpPolicy policy = policyFrom("--minimum-report-version", "3", "--minimum-guest-svn", "4294967295",
                "--accepted-products", "milan,GENOA");

        assertThat(policy.minimumReportVersion()).isEqualTo(3);
        assertThat(policy.minimumGuestSvn()).isEqualTo(4294967295L);
        assertThat(policy.acceptedProducts()).isEqualTo(Set.of(SnpProduct.MILAN, SnpProduct.GENOA));
    }

    @Test
    void allowFlagsRelaxTheirCheckAndTakeAnOptionalValue() {
        SnpPolicy relaxed = policyFrom("--allow-debug", "--allow-migration-agent", "--allow-masked-chip-id");
        SnpPolicy explicit = policyFrom("--allow-debug=false", "--allow-migration-agent=false", "--allow-masked-chip-id=false");

        assertThat(relaxed.rejectDebug()).isFalse();
        assertThat(relaxed.rejectMigrationAgent()).isFalse();
        assertThat(relaxed.allowMaskedChipId()).isTrue();
        assertThat(explicit.rejectDebug()).isTrue();
        assertThat(explicit.rejectMigrationAgent()).isTrue();
        assertThat(explicit.allowMaskedChipId()).isFalse();
    }

    @Test
    void vmplIsPinnedOrReleased() {
        assertThat(policyFrom("--required-vmpl", "2").requiredVmpl()).hasValue(2);
        assertThat(policyFrom("--allow-any-vmpl").requiredVmpl()).isEmpty();
        assertThat(policyFrom("--allow-any-vmpl=false").requiredVmpl()).hasValue(0);
    }

    @Test
    void guestPolicyPinsTakeTrueOrFalse() {
        SnpPolicy policy = policyFrom("--smt-allowed", "false", "--single-socket", "true");

        assertThat(policy.requiredSmtAllowed()).hasValue(false);
        assertThat(policy.requiredSingleSocket()).hasValue(true);
    }

    @Test
    void bindingCrlAndCommittedTcbOptionsSetTheirSwitches() {
        SnpPolicy policy = policyFrom("--check-tcb-binding", "false", "--require-crl", "--require-committed-tcb-equals-current");

        assertThat(policy.checkTcbBinding()).isFalse();
        assertThat(policy.requireCrl()).isTrue();
        assertThat(policy.requireCommittedTcbEqualsCurrent()).isTrue();
    }

    @Test
    void aPinOfTheWrongLengthIsInvalidInputNamingTheOption() {
        assertThatThrownBy(() -> policyFrom("--host-data", "abcd"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--host-data: ");
    }

    @Test
    void aPinThatIsNotHexIsInvalidInputNamingTheOption() {
        assertThatThrownBy(() -> policyFrom("--measurement", "xy".repeat(48)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--measurement: ");
    }

    @Test
    void anEmptyPinIsInvalidInputRatherThanNoPin() {
        // An unset shell variable ("--measurement $M") must not verify without the pin.
        assertThatThrownBy(() -> policyFrom("--measurement", ""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--measurement: '': must be 48 bytes of hex (96 hex digits), not empty (leave the setting out for no pin)");
    }

    @Test
    void requiredVmplAndAllowAnyVmplContradict() {
        assertThatThrownBy(() -> policyFrom("--required-vmpl", "1", "--allow-any-vmpl"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--required-vmpl")
                .hasMessageContaining("--allow-any-vmpl");
    }

    @Test
    void anSplAboveTwoHundredFiftyFiveIsInvalidInput() {
        assertThatThrownBy(() -> policyFrom("--minimum-tcb.microcode", "256"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--minimum-tcb.microcode: ");
    }

    /** Parses the options after a dummy report option, as the command line does, and maps them. */
    private static SnpPolicy policyFrom(String... policyArguments) {
        CommandLine commandLine = SecureChannelCli.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String[] arguments = new String[policyArguments.length + 3];
        arguments[0] = "verify-sev-snp";
        arguments[1] = "--report";
        arguments[2] = "unused.bin";
        System.arraycopy(policyArguments, 0, arguments, 3, policyArguments.length);
        CommandLine.ParseResult parsed = commandLine.parseArgs(arguments);
        VerifySevSnpCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return command.policy();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
