package dev.securechannel.attestation.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.internal.sevsnp.SnpPolicyCheck;
import dev.securechannel.internal.sevsnp.SyntheticReport;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each policy knob on synthetic reports: it rejects what it must with its own failure, accepts
 * what it must, and the checks run in the order of SEV-SNP.md 4.5.
 */
class SnpPolicyTest {

    private static final long POLICY_DEFAULT = 0x30000;
    private static final long DEBUG = 1L << 19;
    private static final long MIGRATE_MA = 1L << 18;
    private static final long SMT = 1L << 16;
    private static final long SINGLE_SOCKET = 1L << 20;

    private static SnpFailure rejection(SnpPolicy policy, SyntheticReport report) {
        return rejection(policy, report, SnpProduct.MILAN);
    }

    private static SnpFailure rejection(SnpPolicy policy, SyntheticReport report, SnpProduct product) {
        return failureOf(() -> SnpPolicyCheck.enforce(policy, report.parse(), product));
    }

    private static void accepts(SnpPolicy policy, SyntheticReport report) {
        accepts(policy, report, SnpProduct.MILAN);
    }

    private static void accepts(SnpPolicy policy, SyntheticReport report, SnpProduct product) {
        assertThatCode(() -> SnpPolicyCheck.enforce(policy, report.parse(), product)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("production and development accept an ordinary VMPL 0 guest")
    void presetsAcceptOrdinaryGuest() {
        accepts(SnpPolicy.production(), new SyntheticReport());
        accepts(SnpPolicy.development(), new SyntheticReport());
    }

    @Test
    @DisplayName("a host-requested report (VMPL 0xFFFFFFFF) is rejected by every policy, before DEBUG")
    void hostRequestedIsAlwaysRejected() {
        SyntheticReport hostRequested = new SyntheticReport().vmpl(0xFFFF_FFFF).policy(POLICY_DEFAULT | DEBUG);
        assertThat(rejection(SnpPolicy.production(), hostRequested)).isEqualTo(SnpFailure.HOST_REQUESTED_REPORT_REJECTED);
        assertThat(rejection(SnpPolicy.development(), hostRequested)).isEqualTo(SnpFailure.HOST_REQUESTED_REPORT_REJECTED);
        assertThat(rejection(SnpPolicy.builder().anyVmpl().rejectDebug(false).build(), hostRequested))
                .isEqualTo(SnpFailure.HOST_REQUESTED_REPORT_REJECTED);
    }

    @Test
    @DisplayName("the required VMPL (default 0) rejects others; anyVmpl accepts them; VMPL is checked before DEBUG")
    void requiredVmpl() {
        assertThat(rejection(SnpPolicy.production(), new SyntheticReport().vmpl(1))).isEqualTo(SnpFailure.VMPL_MISMATCH);
        assertThat(rejection(SnpPolicy.production(), new SyntheticReport().vmpl(2).policy(POLICY_DEFAULT | DEBUG)))
                .isEqualTo(SnpFailure.VMPL_MISMATCH);
        accepts(SnpPolicy.builder().requiredVmpl(1).build(), new SyntheticReport().vmpl(1));
        assertThat(rejection(SnpPolicy.builder().requiredVmpl(1).build(), new SyntheticReport().vmpl(0))).isEqualTo(SnpFailure.VMPL_MISMATCH);
        accepts(SnpPolicy.builder().anyVmpl().build(), new SyntheticReport().vmpl(3));
        assertThat(SnpPolicy.production().requiredVmpl()).hasValue(0);
        assertThat(SnpPolicy.development().requiredVmpl()).isEmpty();
        assertThatThrownBy(() -> SnpPolicy.builder().requiredVmpl(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("DEBUG is rejected by default and accepted when allowed; it is checked before MIGRATE_MA")
    void debug() {
        assertThat(rejection(SnpPolicy.production(), new SyntheticReport().policy(POLICY_DEFAULT | DEBUG | MIGRATE_MA)))
                .isEqualTo(SnpFailure.DEBUG_GUEST_REJECTED);
        accepts(SnpPolicy.builder().rejectDebug(false).build(), new SyntheticReport().policy(POLICY_DEFAULT | DEBUG));
        accepts(SnpPolicy.development(), new SyntheticReport().policy(POLICY_DEFAULT | DEBUG));
    }

    @Test
    @DisplayName("a migration agent is rejected by default and accepted when allowed")
    void migrationAgent() {
        assertThat(rejection(SnpPolicy.production(), new SyntheticReport().policy(POLICY_DEFAULT | MIGRATE_MA)))
                .isEqualTo(SnpFailure.MIGRATABLE_GUEST_REJECTED);
        accepts(SnpPolicy.builder().rejectMigrationAgent(false).build(), new SyntheticReport().policy(POLICY_DEFAULT | MIGRATE_MA));
    }

    @Test
    @DisplayName("SMT: unchecked by default, pinned either way when required")
    void smt() {
        SyntheticReport smtOff = new SyntheticReport().policy(POLICY_DEFAULT & ~SMT);
        accepts(SnpPolicy.production(), smtOff);
        assertThat(rejection(SnpPolicy.builder().requireSmtAllowed(true).build(), smtOff)).isEqualTo(SnpFailure.SMT_POLICY_MISMATCH);
        accepts(SnpPolicy.builder().requireSmtAllowed(false).build(), smtOff);
        assertThat(rejection(SnpPolicy.builder().requireSmtAllowed(false).build(), new SyntheticReport()))
                .isEqualTo(SnpFailure.SMT_POLICY_MISMATCH);
    }

    @Test
    @DisplayName("SINGLE_SOCKET: unchecked by default, pinned either way when required")
    void singleSocket() {
        SyntheticReport single = new SyntheticReport().policy(POLICY_DEFAULT | SINGLE_SOCKET);
        accepts(SnpPolicy.production(), single);
        accepts(SnpPolicy.builder().requireSingleSocket(true).build(), single);
        assertThat(rejection(SnpPolicy.builder().requireSingleSocket(true).build(), new SyntheticReport()))
                .isEqualTo(SnpFailure.SINGLE_SOCKET_POLICY_MISMATCH);
        assertThat(rejection(SnpPolicy.builder().requireSingleSocket(false).build(), single))
                .isEqualTo(SnpFailure.SINGLE_SOCKET_POLICY_MISMATCH);
    }

    @Test
    @DisplayName("the product allow-list accepts listed products and rejects the others")
    void acceptedProducts() {
        SnpPolicy genoaOnly = SnpPolicy.builder().acceptedProducts(SnpProduct.GENOA).build();
        accepts(genoaOnly, SyntheticReport.forProduct(SnpProduct.GENOA), SnpProduct.GENOA);
        assertThat(rejection(genoaOnly, new SyntheticReport(), SnpProduct.MILAN)).isEqualTo(SnpFailure.PRODUCT_NOT_ACCEPTED);
        SnpPolicy milanGenoa = SnpPolicy.builder().acceptedProducts(EnumSet.of(SnpProduct.MILAN, SnpProduct.GENOA)).build();
        assertThat(rejection(milanGenoa, SyntheticReport.forProduct(SnpProduct.TURIN), SnpProduct.TURIN))
                .isEqualTo(SnpFailure.PRODUCT_NOT_ACCEPTED);
        assertThat(SnpPolicy.production().acceptedProducts()).isEqualTo(EnumSet.allOf(SnpProduct.class));
        assertThatThrownBy(() -> SnpPolicy.builder().acceptedProducts(Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TcbComponent.class, names = {"BOOTLOADER", "TEE", "SNP", "MICROCODE"})
    @DisplayName("a minimum per TCB component rejects a lower REPORTED_TCB SPL and accepts an equal one")
    void minimumTcbPerComponent(TcbComponent component) {
        TcbVersion reported = TcbVersion.milanGenoa(4, 1, 24, 219);
        SyntheticReport report = new SyntheticReport().allTcbs(reported);
        int spl = reported.component(component).getAsInt();

        accepts(SnpPolicy.builder().minimumTcb(component, spl).build(), report);
        assertThat(rejection(SnpPolicy.builder().minimumTcb(component, spl + 1).build(), report))
                .isEqualTo(SnpFailure.TCB_BELOW_MINIMUM);
    }

    @Test
    @DisplayName("the FMC minimum applies to Turin and is meaningless (ignored) on Milan")
    void minimumFmc() {
        SyntheticReport turin = SyntheticReport.forProduct(SnpProduct.TURIN);
        assertThat(rejection(SnpPolicy.builder().minimumTcb(TcbComponent.FMC, 4).build(), turin, SnpProduct.TURIN))
                .isEqualTo(SnpFailure.TCB_BELOW_MINIMUM);
        accepts(SnpPolicy.builder().minimumTcb(TcbComponent.FMC, 3).build(), turin, SnpProduct.TURIN);
        accepts(SnpPolicy.builder().minimumTcb(TcbComponent.FMC, 200).build(), new SyntheticReport());
    }

    @Test
    @DisplayName("minimumTcb(TcbVersion) sets every component, and the minimum applies to REPORTED_TCB, not CURRENT_TCB")
    void minimumTcbFromVersion() {
        SnpPolicy policy = SnpPolicy.builder().minimumTcb(TcbVersion.milanGenoa(3, 0, 8, 200)).build();
        SyntheticReport azureLike = new SyntheticReport().allTcbs(TcbVersion.milanGenoa(3, 0, 8, 115))
                .currentTcb(TcbVersion.milanGenoa(3, 0, 8, 210));
        assertThat(rejection(policy, azureLike)).isEqualTo(SnpFailure.TCB_BELOW_MINIMUM);
        accepts(policy, new SyntheticReport().allTcbs(TcbVersion.milanGenoa(3, 0, 8, 200)));
        assertThat(policy.minimumTcb()).containsOnlyKeys(TcbComponent.BOOTLOADER, TcbComponent.TEE, TcbComponent.SNP, TcbComponent.MICROCODE);
    }

    @Test
    @DisplayName("COMMITTED_TCB == CURRENT_TCB is optional: off by default (Azure), rejects provisional firmware when on")
    void committedEqualsCurrent() {
        SyntheticReport provisional = new SyntheticReport().committedTcb(TcbVersion.milanGenoa(4, 0, 24, 218));
        accepts(SnpPolicy.production(), provisional);
        assertThat(rejection(SnpPolicy.builder().requireCommittedTcbEqualsCurrent(true).build(), provisional))
                .isEqualTo(SnpFailure.COMMITTED_TCB_MISMATCH);
        accepts(SnpPolicy.builder().requireCommittedTcbEqualsCurrent(true).build(), new SyntheticReport());
    }

    @Test
    @DisplayName("the minimum GUEST_SVN compares unsigned")
    void minimumGuestSvn() {
        assertThat(rejection(SnpPolicy.builder().minimumGuestSvn(5).build(), new SyntheticReport().guestSvn(4)))
                .isEqualTo(SnpFailure.GUEST_SVN_BELOW_MINIMUM);
        accepts(SnpPolicy.builder().minimumGuestSvn(5).build(), new SyntheticReport().guestSvn(5));
        accepts(SnpPolicy.builder().minimumGuestSvn(0x8000_0000L).build(), new SyntheticReport().guestSvn(0x8000_0001));
        assertThatThrownBy(() -> SnpPolicy.builder().minimumGuestSvn(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("FAMILY_ID, IMAGE_ID, HOST_DATA, ID_KEY_DIGEST, AUTHOR_KEY_DIGEST and MEASUREMENT pins each reject a different value")
    void pins() {
        byte[] family = filled(16, 1);
        byte[] image = filled(16, 2);
        byte[] host = filled(32, 3);
        byte[] idKey = filled(48, 4);
        byte[] author = filled(48, 5);
        byte[] measurement = filled(48, 6);
        SyntheticReport matching = new SyntheticReport().familyId(family).imageId(image).hostData(host)
                .idKeyDigest(idKey).authorKeyDigest(author).measurement(measurement);
        SnpPolicy pinned = SnpPolicy.builder().expectedFamilyId(family).expectedImageId(image).expectedHostData(host)
                .expectedIdKeyDigest(idKey).expectedAuthorKeyDigest(author).expectedMeasurement(measurement).build();
        accepts(pinned, matching);

        assertThat(rejection(pinned, copy(matching).familyId(filled(16, 9)))).isEqualTo(SnpFailure.FAMILY_ID_MISMATCH);
        assertThat(rejection(pinned, copy(matching).imageId(filled(16, 9)))).isEqualTo(SnpFailure.IMAGE_ID_MISMATCH);
        assertThat(rejection(pinned, copy(matching).hostData(filled(32, 9)))).isEqualTo(SnpFailure.HOST_DATA_MISMATCH);
        assertThat(rejection(pinned, copy(matching).idKeyDigest(filled(48, 9)))).isEqualTo(SnpFailure.ID_KEY_DIGEST_MISMATCH);
        assertThat(rejection(pinned, copy(matching).authorKeyDigest(filled(48, 9)))).isEqualTo(SnpFailure.AUTHOR_KEY_DIGEST_MISMATCH);
        assertThat(rejection(pinned, copy(matching).measurement(filled(48, 9)))).isEqualTo(SnpFailure.MEASUREMENT_MISMATCH);
        accepts(pinned.toBuilder().expectedMeasurement(null).build(), copy(matching).measurement(filled(48, 9)));
    }

    @Test
    @DisplayName("each pin is one entry of the table: its length, its accessor, and toBuilder keeps it")
    void pinTable() {
        SnpPolicy pinned = SnpPolicy.builder().pin(SnpPolicy.Pin.HOST_DATA, filled(32, 3)).expectedImageId(filled(16, 2)).build();

        assertThat(pinned.pin(SnpPolicy.Pin.HOST_DATA)).hasValueSatisfying(pin -> assertThat(pin).containsOnly(3));
        assertThat(pinned.expectedImageId()).hasValueSatisfying(pin -> assertThat(pin).isEqualTo(pinned.pin(SnpPolicy.Pin.IMAGE_ID).orElseThrow()));
        assertThat(pinned.pin(SnpPolicy.Pin.MEASUREMENT)).isEmpty();
        assertThat(pinned.toBuilder().build().pin(SnpPolicy.Pin.HOST_DATA)).isPresent();
        assertThat(pinned.toBuilder().pin(SnpPolicy.Pin.HOST_DATA, null).build().pin(SnpPolicy.Pin.HOST_DATA)).isEmpty();
        assertThat(pinned.toString()).contains("pins=[IMAGE_ID, HOST_DATA]");
        assertThat(SnpPolicy.Pin.MEASUREMENT.length()).isEqualTo(48);
        assertThatThrownBy(() -> SnpPolicy.builder().pin(SnpPolicy.Pin.ID_KEY_DIGEST, new byte[47]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ID_KEY_DIGEST must be 48 bytes, not 47");
    }

    @Test
    @DisplayName("pins of the wrong length are refused when the policy is built, and the policy copies them")
    void pinLengthsAndCopies() {
        assertThatThrownBy(() -> SnpPolicy.builder().expectedMeasurement(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnpPolicy.builder().expectedHostData(new byte[48])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnpPolicy.builder().expectedFamilyId(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        byte[] measurement = filled(48, 6);
        SnpPolicy policy = SnpPolicy.builder().expectedMeasurement(measurement).build();
        measurement[0] = 0;
        policy.expectedMeasurement().orElseThrow()[1] = 0;
        assertThat(policy.expectedMeasurement()).hasValueSatisfying(pin -> assertThat(pin).containsOnly(6));
    }

    @Test
    @DisplayName("the presets: production binds the certificate and refuses masked CHIP_IDs, development does neither check")
    void presets() {
        SnpPolicy production = SnpPolicy.production();
        assertThat(production.rejectDebug()).isTrue();
        assertThat(production.rejectMigrationAgent()).isTrue();
        assertThat(production.checkTcbBinding()).isTrue();
        assertThat(production.allowMaskedChipId()).isFalse();
        assertThat(production.minimumReportVersion()).isEqualTo(2);
        assertThat(production.requireCrl()).isFalse();
        SnpPolicy development = SnpPolicy.development();
        assertThat(development.rejectDebug()).isFalse();
        assertThat(development.rejectMigrationAgent()).isFalse();
        assertThat(development.checkTcbBinding()).isFalse();
        assertThat(SnpPolicy.production().toBuilder().build()).hasToString(production.toString());
        assertThatThrownBy(() -> SnpPolicy.builder().minimumReportVersion(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnpPolicy.builder().minimumReportVersion(6)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SyntheticReport copy(SyntheticReport report) {
        SyntheticReport copy = new SyntheticReport();
        byte[] bytes = report.bytes();
        for (int i = 0; i < bytes.length; i++) {
            copy.set(i, bytes[i]);
        }
        return copy;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
