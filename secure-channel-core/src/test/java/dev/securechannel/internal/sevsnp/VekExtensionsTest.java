package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The AMD VCEK/VLEK extensions: every encoding the real certificates use, the tolerated variants and malformed ones. */
class VekExtensionsTest {

    private static final SyntheticAmdPki MILAN = SyntheticAmdPki.of(SnpProduct.MILAN);

    @Test
    @DisplayName("the real Turin VCEK: structVersion 1, productName Turin, fmcSPL, 8-byte hwID")
    void realTurinVcek() {
        VekExtensions turin = VekExtensions.parse(SnpFixtures.certificate("virtee-sev/tests/certs_data/vcek_turin.der"));
        assertThat(turin.structVersion()).hasValue(1);
        assertThat(turin.productName()).contains("Turin");
        assertThat(turin.product()).contains(SnpProduct.TURIN);
        assertThat(turin.spl(TcbComponent.FMC)).hasValue(0);
        assertThat(turin.spl(TcbComponent.BOOTLOADER)).hasValue(0);
        assertThat(turin.spl(TcbComponent.MICROCODE)).hasValue(9);
        assertThat(turin.hwId().map(HexFormat.of()::formatHex)).contains("1e550a8ee5cf9f4d");
        assertThat(turin.cspId()).isEmpty();
        assertThat(turin.toString()).contains("Turin");
    }

    @Test
    @DisplayName("a microcode SPL of 128 or more (DER INTEGER with a leading zero) reads as unsigned")
    void largeSpl() {
        VekExtensions vlek = VekExtensions.parse(SnpFixtures.certificate("trustee/deps/verifier/test_data/snp/test-vlek.der"));
        assertThat(vlek.spl(TcbComponent.MICROCODE)).hasValue(217);
        assertThat(vlek.cspId()).contains("CN=cc-us-east-2.amazonaws.com");
    }

    @Test
    @DisplayName("hwID wrapped in a DER OCTET STRING (trustee's -new look-alike) is read like the raw form")
    void wrappedHwId() {
        VekExtensions legacy = VekExtensions.parse(SnpFixtures.certificate("trustee/deps/verifier/test_data/snp/test-vcek-invalid-legacy.der"));
        VekExtensions wrapped = VekExtensions.parse(SnpFixtures.certificate("trustee/deps/verifier/test_data/snp/test-vcek-invalid-new.der"));
        byte[] expected = new byte[64];
        for (int i = 0; i < 64; i++) {
            expected[i] = (byte) i;
        }
        assertThat(legacy.hwId()).hasValueSatisfying(id -> assertThat(id).isEqualTo(expected));
        assertThat(wrapped.hwId()).hasValueSatisfying(id -> assertThat(id).isEqualTo(expected));
        assertThat(legacy.spl(TcbComponent.MICROCODE)).hasValue(169);
    }

    @Test
    @DisplayName("productName as raw printable ASCII (no DER tag) is tolerated, as the reference's comments describe")
    void rawProductName() {
        X509Certificate vcek = MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_PRODUCT_NAME, "Milan-B0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build();
        assertThat(VekExtensions.parse(vcek).product()).contains(SnpProduct.MILAN);
    }

    @Test
    @DisplayName("a certificate without AMD extensions yields nothing, which the verifier then refuses")
    void noExtensions() {
        VekExtensions none = VekExtensions.parse(SnpFixtures.ark(SnpProduct.MILAN));
        assertThat(none.productName()).isEmpty();
        assertThat(none.hwId()).isEmpty();
        assertThat(none.spl(TcbComponent.SNP)).isEmpty();
        assertThat(none.structVersion()).isEmpty();
    }

    @Test
    @DisplayName("SPLs that are not a DER INTEGER in 0..255, a bad productName or hwID length are VEK_EXTENSIONS_INVALID")
    void malformed() {
        String snpSpl = VekExtensions.OID_ARC + ".3.3";
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).integer(snpSpl, 256).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).integer(snpSpl, -1).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).ia5(snpSpl, "8").build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).rawExtension(snpSpl, new byte[] {0x02, 0x01}).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .rawExtension(snpSpl, new byte[] {0x02, 0x01, 0x08, 0x00}).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_PRODUCT_NAME, new byte[] {'M', 0x01}).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_PRODUCT_NAME, new byte[0]).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_HW_ID, new byte[32]).build());
        assertInvalid(MILAN.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .octetString(VekExtensions.OID_HW_ID, new byte[16]).build());
    }

    private static void assertInvalid(X509Certificate certificate) {
        assertThat(failureOf(() -> VekExtensions.parse(certificate))).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
    }
}
