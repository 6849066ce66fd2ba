package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The report parser: length and version rules, field offsets, copies, product and TCB layout. */
class SnpReportTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1183, 1185, 2048})
    @DisplayName("a report of any length but 1184 is REPORT_PARSE_FAILED")
    void wrongLengthIsRejected(int length) {
        assertThat(failureOf(() -> SnpReport.parse(new byte[length]))).isEqualTo(SnpFailure.REPORT_PARSE_FAILED);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 1, 6, 255, -1})
    @DisplayName("versions 0, 1 and newer than 5 are REPORT_VERSION_UNSUPPORTED")
    void unknownVersionsAreRejected(int version) {
        byte[] report = new SyntheticReport().version(version).bytes();
        assertThat(failureOf(() -> SnpReport.parse(report))).isEqualTo(SnpFailure.REPORT_VERSION_UNSUPPORTED);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    @DisplayName("versions 2 to 5 parse")
    void knownVersionsParse(int version) {
        assertThat(new SyntheticReport().version(version).parse().version()).isEqualTo(version);
    }

    @Test
    @DisplayName("every field is read at its offset, little-endian, unsigned where the spec says u32")
    void fieldsAreReadAtTheirOffsets() {
        byte[] measurement = filled(48, 0x11);
        byte[] hostData = filled(32, 0x22);
        byte[] reportData = filled(64, 0x33);
        SnpReport report = new SyntheticReport()
                .guestSvn(0xFFFF_FFFE)
                .policy(0x3001FL)
                .familyId(filled(16, 0x44))
                .imageId(filled(16, 0x55))
                .vmpl(0xFFFF_FFFF)
                .platformInfo(0x25)
                .keyInfo(0x1 | (1 << 2))
                .reportData(reportData)
                .measurement(measurement)
                .hostData(hostData)
                .idKeyDigest(filled(48, 0x66))
                .authorKeyDigest(filled(48, 0x77))
                .currentTcb(TcbVersion.milanGenoa(5, 1, 26, 220))
                .committedTcb(TcbVersion.milanGenoa(4, 1, 25, 210))
                .launchTcb(TcbVersion.milanGenoa(3, 0, 24, 200))
                .parse();

        assertThat(report.guestSvn()).isEqualTo(0xFFFF_FFFEL);
        assertThat(report.policy().value()).isEqualTo(0x3001FL);
        assertThat(report.familyId()).isEqualTo(filled(16, 0x44));
        assertThat(report.imageId()).isEqualTo(filled(16, 0x55));
        assertThat(report.vmpl()).isEqualTo(SnpReport.VMPL_HOST_REQUESTED);
        assertThat(report.platformInfo().smtEnabled()).isTrue();
        assertThat(report.platformInfo().eccEnabled()).isTrue();
        assertThat(report.platformInfo().aliasCheckComplete()).isTrue();
        assertThat(report.platformInfo().tsmeEnabled()).isFalse();
        assertThat(report.authorKeyEnabled()).isTrue();
        assertThat(report.maskChipKey()).isFalse();
        assertThat(report.signingKey()).contains(VekKind.VLEK);
        assertThat(report.reportData()).isEqualTo(reportData);
        assertThat(report.measurement()).isEqualTo(measurement);
        assertThat(report.hostData()).isEqualTo(hostData);
        assertThat(report.idKeyDigest()).isEqualTo(filled(48, 0x66));
        assertThat(report.authorKeyDigest()).isEqualTo(filled(48, 0x77));
        assertThat(report.reportIdMa()).containsOnly(0xFF);
        assertThat(report.chipId()).isEqualTo(SyntheticReport.CHIP_ID);
        assertThat(report.reportedTcb()).isEqualTo(SyntheticReport.MILAN_TCB);
        assertThat(report.currentTcb().microcode()).isEqualTo(220);
        assertThat(report.committedTcb().snp()).isEqualTo(25);
        assertThat(report.launchTcb().bootloader()).isEqualTo(3);
        assertThat(report.currentFirmware()).hasToString("1.55.29");
        assertThat(report.signedBytes()).hasSize(0x2A0).isEqualTo(Arrays.copyOf(report.bytes(), 0x2A0));
        assertThat(report.signature()).hasSize(0x200);
    }

    @Test
    @DisplayName("KEY_INFO: MASK_CHIP_KEY is bit 1, SIGNING_KEY bits 4:2 with 7 meaning none")
    void keyInfoBits() {
        assertThat(new SyntheticReport().keyInfo(0x2).parse().maskChipKey()).isTrue();
        assertThat(new SyntheticReport().keyInfo(0).parse().signingKey()).contains(VekKind.VCEK);
        SnpReport none = new SyntheticReport().keyInfo(7 << 2).parse();
        assertThat(none.signingKeySelector()).isEqualTo(7);
        assertThat(none.signingKey()).isEmpty();
    }

    @Test
    @DisplayName("the report and every array accessor are copies: changing them changes nothing")
    void arraysAreCopied() {
        byte[] bytes = new SyntheticReport().bytes();
        SnpReport report = SnpReport.parse(bytes);
        bytes[0x90] ^= 1;
        report.measurement()[0] ^= 1;
        report.bytes()[0x90] ^= 1;
        report.chipId()[0] ^= 1;

        assertThat(report.measurement()[0]).isZero();
        assertThat(report.chipId()).isEqualTo(SyntheticReport.CHIP_ID);
        assertThat(report).isEqualTo(new SyntheticReport().parse());
    }

    @Test
    @DisplayName("a version 2 report has no CPUID, product or mitigation vectors, and reads the reserved CPUID bytes as nothing")
    void versionTwoHasNoCpuid() {
        SnpReport report = new SyntheticReport().version(2).set(0x188, 0x19).parse();
        assertThat(report.cpuidFamily()).isEmpty();
        assertThat(report.cpuidModel()).isEmpty();
        assertThat(report.cpuidStepping()).isEmpty();
        assertThat(report.product()).isEmpty();
        assertThat(report.launchMitigationVector()).isEmpty();
        assertThat(report.reportedTcb().layout()).isEqualTo(TcbVersion.Layout.MILAN_GENOA);
    }

    @Test
    @DisplayName("version 3+ reports name their product by CPUID; Turin reads its TCBs in the Turin layout")
    void productFromCpuid() {
        assertThat(SyntheticReport.forProduct(SnpProduct.MILAN).parse().product()).contains(SnpProduct.MILAN);
        assertThat(SyntheticReport.forProduct(SnpProduct.GENOA).parse().product()).contains(SnpProduct.GENOA);
        SnpReport turin = SyntheticReport.forProduct(SnpProduct.TURIN).parse();
        assertThat(turin.product()).contains(SnpProduct.TURIN);
        assertThat(turin.reportedTcb()).isEqualTo(TcbVersion.turin(3, 1, 0, 2, 71));
        assertThat(turin.reportedTcb().fmc()).hasValue(3);
        assertThat(new SyntheticReport().cpuid(0x1A, 0x50, 0).parse().product()).as("Venice: no roots").isEmpty();
    }

    @Test
    @DisplayName("a version 2 report's TCB can be re-read in the layout of the product the chain names")
    void tcbLayoutByProduct() {
        SnpReport report = new SyntheticReport().version(2).reportedTcb(TcbVersion.turin(3, 1, 0, 2, 71)).parse();
        assertThat(report.reportedTcb(SnpProduct.TURIN).snp()).isEqualTo(2);
        assertThat(report.reportedTcb().snp()).as("Milan layout reads byte 6").isZero();
    }

    @Test
    @DisplayName("version 5 reports carry the launch and current mitigation vectors")
    void versionFiveMitigationVectors() {
        SnpReport report = new SyntheticReport().version(5).set(0x1F8, 3).set(0x200, 1).parse();
        assertThat(report.launchMitigationVector()).hasValue(3);
        assertThat(report.currentMitigationVector()).hasValue(1);
    }

    @Test
    @DisplayName("TcbVersion: Milan/Genoa and Turin layouts, raw round trip, u64 value as AMD prints it")
    void tcbLayouts() {
        TcbVersion milan = TcbVersion.of(new byte[] {3, 0, 0, 0, 0, 0, 8, 0x73}, TcbVersion.Layout.MILAN_GENOA);
        assertThat(milan.bootloader()).isEqualTo(3);
        assertThat(milan.tee()).isZero();
        assertThat(milan.snp()).isEqualTo(8);
        assertThat(milan.microcode()).isEqualTo(115);
        assertThat(milan.fmc()).isEmpty();
        assertThat(milan.value()).isEqualTo(0x7308000000000003L);
        assertThat(milan.hex()).isEqualTo("0300000000000873");

        TcbVersion turin = TcbVersion.of(new byte[] {0, 1, 0, 2, 0, 0, 0, 0x47}, TcbVersion.Layout.TURIN);
        assertThat(turin).isEqualTo(TcbVersion.turin(0, 1, 0, 2, 71));
        assertThat(turin.fmc()).hasValue(0);
        assertThat(turin.bootloader()).isEqualTo(1);
        assertThat(turin.snp()).isEqualTo(2);
        assertThat(turin.microcode()).isEqualTo(71);
        assertThat(TcbVersion.of(turin.raw(), TcbVersion.Layout.TURIN)).isEqualTo(turin);
        assertThat(TcbVersion.milanGenoa(4, 0, 0x18, 0xDB).value()).isEqualTo(0xDB18000000000004L);
        assertThatThrownBy(() -> TcbVersion.of(new byte[7], TcbVersion.Layout.TURIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcbVersion.milanGenoa(256, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("TcbVersion.isAtLeast compares every component, not the u64, and refuses mixed layouts")
    void tcbOrderIsComponentWise() {
        TcbVersion base = TcbVersion.milanGenoa(3, 0, 8, 115);
        assertThat(TcbVersion.milanGenoa(3, 0, 8, 206).isAtLeast(base)).isTrue();
        assertThat(base.isAtLeast(base)).isTrue();
        // Numerically larger (microcode is the top byte) yet the boot loader went back.
        assertThat(TcbVersion.milanGenoa(2, 0, 8, 250).isAtLeast(base)).isFalse();
        assertThat(TcbVersion.turin(1, 1, 0, 2, 71).isAtLeast(TcbVersion.turin(2, 1, 0, 2, 71))).as("FMC counts on Turin").isFalse();
        assertThatThrownBy(() -> base.isAtLeast(TcbVersion.turin(0, 0, 0, 0, 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("SnpProduct: CPUID ranges of virtee's identify_cpu, KDS names and productName prefixes")
    void productNames() {
        assertThat(SnpProduct.fromCpuid(0x19, 0x01)).contains(SnpProduct.MILAN);
        assertThat(SnpProduct.fromCpuid(0x19, 0x0F)).contains(SnpProduct.MILAN);
        assertThat(SnpProduct.fromCpuid(0x19, 0x11)).contains(SnpProduct.GENOA);
        assertThat(SnpProduct.fromCpuid(0x19, 0xA0)).as("Siena uses Genoa roots").contains(SnpProduct.GENOA);
        assertThat(SnpProduct.fromCpuid(0x19, 0x20)).isEmpty();
        assertThat(SnpProduct.fromCpuid(0x1A, 0x02)).contains(SnpProduct.TURIN);
        assertThat(SnpProduct.fromCpuid(0x1A, 0x12)).isEmpty();
        assertThat(SnpProduct.fromCpuid(0x17, 0x01)).isEmpty();
        assertThat(SnpProduct.GENOA.kdsName()).isEqualTo("Genoa");
        assertThat(SnpProduct.fromKdsName("Turin")).contains(SnpProduct.TURIN);
        assertThat(SnpProduct.fromKdsName("turin")).isEmpty();
        assertThat(SnpProduct.fromProductName("Milan-B0")).contains(SnpProduct.MILAN);
        assertThat(SnpProduct.fromProductName("Genoa")).contains(SnpProduct.GENOA);
        assertThat(SnpProduct.fromProductName("Venice-A0")).isEmpty();
        assertThat(SnpProduct.TURIN.tcbLayout()).isEqualTo(TcbVersion.Layout.TURIN);
    }

    @Test
    @DisplayName("SnpGuestPolicy names every bit and knows the reserved rules")
    void guestPolicyBits() {
        SnpGuestPolicy azure = new SnpGuestPolicy(0x3001F);
        assertThat(azure.abiMinor()).isEqualTo(31);
        assertThat(azure.abiMajor()).isZero();
        assertThat(azure.smtAllowed()).isTrue();
        assertThat(azure.debugAllowed()).isFalse();
        assertThat(azure.reservedBitsValid()).isTrue();
        assertThat(new SnpGuestPolicy(0xB0000).debugAllowed()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 18 | 1L << 17).migrationAgentAllowed()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 20 | 1L << 17).singleSocketRequired()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 21).cxlAllowed()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 22).memAes256XtsRequired()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 23).raplDisabledRequired()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 24).ciphertextHidingRequired()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 25 | 1L << 17).pageSwapDisabled()).isTrue();
        assertThat(new SnpGuestPolicy(1L << 25 | 1L << 17).reservedBitsValid()).isTrue();
        assertThat(new SnpGuestPolicy(0x10000).reservedBitsValid()).as("bit 17 clear").isFalse();
        assertThat(new SnpGuestPolicy(1L << 17 | 1L << 26).reservedBitsValid()).as("bit 26 set").isFalse();
        assertThat(new SnpGuestPolicy(1L << 17 | 1L << 63).reservedBitsValid()).as("bit 63 set").isFalse();
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
