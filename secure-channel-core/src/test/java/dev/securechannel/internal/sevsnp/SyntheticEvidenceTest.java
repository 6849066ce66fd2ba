package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end verification of synthetic, correctly signed evidence from an AMD-shaped test PKI:
 * the checks no real fixture reaches (Turin, each SPL mismatch, CHIP_ID rules, extension kinds,
 * product consistency, key types, structure rules). The verifier trusts the synthetic ARKs
 * through its package-private constructor; everything else is the production code path.
 */
class SyntheticEvidenceTest {

    private static SevSnpVerifier verifier(SnpPolicy policy) {
        return new SevSnpVerifier(policy, CrlSource.none(), SnpFixtures.fixtureClock(), SyntheticAmdPki.pinnedArks());
    }

    private static SnpVerificationResult verify(SnpPolicy policy, byte[] report, List<X509Certificate> chain) {
        return verifier(policy).verify(report, chain);
    }

    private static SnpFailure rejection(SnpPolicy policy, byte[] report, List<X509Certificate> chain) {
        return failureOf(() -> verify(policy, report, chain));
    }

    /** A correctly signed report of {@code product} with a matching VCEK. */
    private static Evidence honest(SnpProduct product) {
        SyntheticAmdPki pki = SyntheticAmdPki.of(product);
        SyntheticReport report = SyntheticReport.forProduct(product);
        SnpReport parsed = report.parse();
        X509Certificate vcek = pki.vcek(parsed.reportedTcb(), parsed.chipId()).build();
        return new Evidence(pki, report, vcek);
    }

    private record Evidence(SyntheticAmdPki pki, SyntheticReport report, X509Certificate vek) {
        byte[] signed() {
            return report.signedWith(pki.vekKeys.getPrivate());
        }

        List<X509Certificate> chain() {
            return pki.chain(vek);
        }

        Evidence withVek(X509Certificate other) {
            return new Evidence(pki, report, other);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SnpProduct.class)
    @DisplayName("honest synthetic evidence of every product is accepted, with its product and the product's TCB layout")
    void honestEvidenceIsAccepted(SnpProduct product) {
        Evidence evidence = honest(product);
        SnpVerificationResult result = verify(SnpPolicy.production(), evidence.signed(), evidence.chain());

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.product()).contains(product);
        assertThat(result.vekKind()).contains(VekKind.VCEK);
        assertThat(result.vekCertificate()).contains(evidence.vek());
        assertThat(result.reportedTcb().layout()).isEqualTo(product.tcbLayout());
    }

    @Test
    @DisplayName("the certificates may come in any order, and the ARK may be left out (the pinned one is used)")
    void certificateOrderDoesNotMatter() {
        Evidence evidence = honest(SnpProduct.MILAN);
        SyntheticAmdPki pki = evidence.pki();
        assertThat(verify(SnpPolicy.production(), evidence.signed(), List.of(pki.ark, evidence.vek(), pki.ask)).isAccepted()).isTrue();
        assertThat(verify(SnpPolicy.production(), evidence.signed(), List.of(pki.ask, evidence.vek())).isAccepted()).isTrue();
    }

    @Test
    @DisplayName("a VLEK chain (VLEK ← ASVK ← ARK) is accepted; a VCEK/ASK pair next to it is ignored")
    void vlekIsAccepted() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.GENOA);
        SyntheticReport report = SyntheticReport.forProduct(SnpProduct.GENOA).signedByVlek().chipId(new byte[64]);
        X509Certificate vlek = pki.vlek(report.parse().reportedTcb()).build();
        byte[] signed = report.signedWith(pki.vekKeys.getPrivate());

        SnpVerificationResult result = verify(SnpPolicy.production(), signed, pki.chain(vlek));
        assertThat(result.vekKind()).contains(VekKind.VLEK);
        X509Certificate unusedVcek = pki.vcek(report.parse().reportedTcb(), SyntheticReport.CHIP_ID).build();
        assertThat(verify(SnpPolicy.production(), signed, List.of(vlek, pki.asvk, unusedVcek, pki.ask)).isAccepted()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TcbComponent.class)
    @DisplayName("a VEK SPL that differs from REPORTED_TCB fails with that component's mismatch (Turin carries all five)")
    void splMismatch(TcbComponent component) {
        Evidence evidence = honest(SnpProduct.TURIN);
        TcbVersion reported = evidence.report().parse().reportedTcb();
        String arc = switch (component) {
            case BOOTLOADER -> "3.1";
            case TEE -> "3.2";
            case SNP -> "3.3";
            case MICROCODE -> "3.8";
            case FMC -> "3.9";
        };
        X509Certificate rolledBack = evidence.pki().vcek(reported, SyntheticReport.CHIP_ID)
                .spl(arc, reported.component(component).getAsInt() + 1).build();
        SnpFailure expected = switch (component) {
            case BOOTLOADER -> SnpFailure.TCB_BOOTLOADER_MISMATCH;
            case TEE -> SnpFailure.TCB_TEE_MISMATCH;
            case SNP -> SnpFailure.TCB_SNP_MISMATCH;
            case MICROCODE -> SnpFailure.TCB_MICROCODE_MISMATCH;
            case FMC -> SnpFailure.TCB_FMC_MISMATCH;
        };
        Evidence mismatched = evidence.withVek(rolledBack);

        assertThat(rejection(SnpPolicy.production(), mismatched.signed(), mismatched.chain())).isEqualTo(expected);
        assertThat(verify(SnpPolicy.builder().checkTcbBinding(false).build(), mismatched.signed(), mismatched.chain()).isAccepted())
                .as("binding switched off").isTrue();
    }

    @Test
    @DisplayName("the Turin TCB is bound in the Turin layout: a VCEK with Milan-layout SPLs of the same bytes fails")
    void turinLayoutIsUsedForBinding() {
        Evidence evidence = honest(SnpProduct.TURIN);
        TcbVersion misread = evidence.report().parse().reportedTcb().withLayout(TcbVersion.Layout.MILAN_GENOA);
        X509Certificate legacyReading = evidence.pki().vcek(misread, SyntheticReport.CHIP_ID).spl("3.9", 3).build();
        Evidence mismatched = evidence.withVek(legacyReading);
        assertThat(rejection(SnpPolicy.production(), mismatched.signed(), mismatched.chain())).isEqualTo(SnpFailure.TCB_BOOTLOADER_MISMATCH);
    }

    @Test
    @DisplayName("a Turin VCEK without fmcSPL, or any VEK without an SPL, is VEK_EXTENSIONS_INVALID when binding")
    void missingSpl() {
        Evidence turin = honest(SnpProduct.TURIN);
        X509Certificate noFmc = turin.pki().vcek(turin.report().parse().reportedTcb(), SyntheticReport.CHIP_ID)
                .without(VekExtensions.OID_ARC + ".3.9").build();
        assertThat(rejection(SnpPolicy.production(), turin.signed(), turin.withVek(noFmc).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);

        Evidence milan = honest(SnpProduct.MILAN);
        X509Certificate noSnp = milan.pki().vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .without(VekExtensions.OID_ARC + ".3.3").build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(noSnp).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
    }

    @Test
    @DisplayName("REPORTED_TCB above CURRENT_TCB in any component is rejected")
    void reportedAboveCurrent() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        SyntheticReport report = new SyntheticReport().currentTcb(TcbVersion.milanGenoa(4, 0, 23, 250));
        X509Certificate vcek = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).build();
        assertThat(rejection(SnpPolicy.production(), report.signedWith(pki.vekKeys.getPrivate()), pki.chain(vcek)))
                .isEqualTo(SnpFailure.REPORTED_TCB_ABOVE_CURRENT);
    }

    @Test
    @DisplayName("a VCEK whose hwID is another chip's is CHIP_ID_MISMATCH")
    void chipIdMismatch() {
        Evidence evidence = honest(SnpProduct.MILAN);
        byte[] otherChip = SyntheticReport.CHIP_ID.clone();
        otherChip[63] ^= 1;
        X509Certificate vcek = evidence.pki().vcek(SyntheticReport.MILAN_TCB, otherChip).build();
        assertThat(rejection(SnpPolicy.production(), evidence.signed(), evidence.withVek(vcek).chain())).isEqualTo(SnpFailure.CHIP_ID_MISMATCH);
    }

    @Test
    @DisplayName("Turin compares the 8-byte hwID with CHIP_ID[0..8): a difference in byte 7 is caught")
    void turinHwIdPrefix() {
        Evidence evidence = honest(SnpProduct.TURIN);
        byte[] otherChip = java.util.Arrays.copyOf(SyntheticReport.CHIP_ID, 8);
        otherChip[7] ^= 1;
        X509Certificate vcek = evidence.pki().vcek(evidence.report().parse().reportedTcb(), otherChip).build();
        assertThat(rejection(SnpPolicy.production(), evidence.signed(), evidence.withVek(vcek).chain())).isEqualTo(SnpFailure.CHIP_ID_MISMATCH);
    }

    @Test
    @DisplayName("a 64-byte hwID on a Turin VCEK is malformed for the product")
    void turinHwIdLength() {
        Evidence evidence = honest(SnpProduct.TURIN);
        X509Certificate vcek = evidence.pki().vcek(evidence.report().parse().reportedTcb(), SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_HW_ID, java.util.Arrays.copyOf(SyntheticReport.CHIP_ID, 8)).build();
        assertThat(verify(SnpPolicy.production(), evidence.signed(), evidence.withVek(vcek).chain()).isAccepted()).isTrue();
        X509Certificate wide = evidence.pki().vcek(evidence.report().parse().reportedTcb(), SyntheticReport.CHIP_ID)
                .rawExtension(VekExtensions.OID_HW_ID, java.util.Arrays.copyOf(SyntheticReport.CHIP_ID, 64)).build();
        assertThat(rejection(SnpPolicy.production(), evidence.signed(), evidence.withVek(wide).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
    }

    @Test
    @DisplayName("a masked (all-zero) CHIP_ID with a VCEK is refused by default and accepted only when the policy allows it")
    void maskedChipId() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        byte[] report = new SyntheticReport().chipId(new byte[64]).signedWith(pki.vekKeys.getPrivate());
        List<X509Certificate> chain = pki.chain(pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).build());

        assertThat(rejection(SnpPolicy.production(), report, chain)).isEqualTo(SnpFailure.CHIP_ID_MASKED);
        assertThat(verify(SnpPolicy.builder().allowMaskedChipId(true).build(), report, chain).isAccepted()).isTrue();
    }

    @Test
    @DisplayName("a VCEK needs hwID and no cspId, a VLEK cspId and no hwID, even without TCB binding")
    void extensionKinds() {
        Evidence milan = honest(SnpProduct.MILAN);
        SyntheticAmdPki pki = milan.pki();
        SnpPolicy noBinding = SnpPolicy.builder().checkTcbBinding(false).build();
        X509Certificate vcekWithoutHwId = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).without(VekExtensions.OID_HW_ID).build();
        X509Certificate vcekWithCspId = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .ia5(VekExtensions.OID_CSP_ID, "CN=csp").build();
        assertThat(rejection(noBinding, milan.signed(), milan.withVek(vcekWithoutHwId).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
        assertThat(rejection(noBinding, milan.signed(), milan.withVek(vcekWithCspId).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);

        SyntheticReport vlekReport = new SyntheticReport().signedByVlek();
        byte[] signed = vlekReport.signedWith(pki.vekKeys.getPrivate());
        X509Certificate vlekWithHwId = pki.vlek(SyntheticReport.MILAN_TCB).rawExtension(VekExtensions.OID_HW_ID, SyntheticReport.CHIP_ID).build();
        X509Certificate vlekWithoutCspId = pki.vlek(SyntheticReport.MILAN_TCB).without(VekExtensions.OID_CSP_ID).build();
        assertThat(rejection(noBinding, signed, pki.chain(vlekWithHwId))).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
        assertThat(rejection(noBinding, signed, pki.chain(vlekWithoutCspId))).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);
    }

    @Test
    @DisplayName("the report's SIGNING_KEY decides the certificate: a VLEK report with only a VCEK is CERT_TYPE_MISSING")
    void signingKeySelectsCertificate() {
        Evidence milan = honest(SnpProduct.MILAN);
        byte[] vlekReport = new SyntheticReport().signedByVlek().signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.production(), vlekReport, milan.chain())).isEqualTo(SnpFailure.CERT_TYPE_MISSING);
        assertThat(rejection(SnpPolicy.production(), milan.signed(), List.of(milan.vek(), milan.pki().asvk)))
                .as("VCEK without ASK").isEqualTo(SnpFailure.CERT_TYPE_MISSING);
    }

    @Test
    @DisplayName("product consistency: VEK productName, ASK and CPUID must agree; an unknown CPUID is PRODUCT_UNKNOWN")
    void productConsistency() {
        Evidence milan = honest(SnpProduct.MILAN);
        SyntheticAmdPki pki = milan.pki();
        X509Certificate genoaNamed = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .ia5(VekExtensions.OID_PRODUCT_NAME, "Genoa").build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(genoaNamed).chain())).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        X509Certificate unnamed = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).without(VekExtensions.OID_PRODUCT_NAME).build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(unnamed).chain())).isEqualTo(SnpFailure.VEK_EXTENSIONS_INVALID);

        byte[] genoaCpuid = new SyntheticReport().cpuid(0x19, 0x11, 0).signedWith(pki.vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.production(), genoaCpuid, milan.chain())).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        byte[] veniceCpuid = new SyntheticReport().cpuid(0x1A, 0x50, 0).signedWith(pki.vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.production(), veniceCpuid, milan.chain())).isEqualTo(SnpFailure.PRODUCT_UNKNOWN);
    }

    @Test
    @DisplayName("a version 2 report (no CPUID) takes its product from the chain; Turin's layout then applies")
    void versionTwoProductFromChain() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.TURIN);
        TcbVersion tcb = TcbVersion.turin(3, 1, 0, 2, 71);
        byte[] report = new SyntheticReport().version(2).allTcbs(tcb).chipId(java.util.Arrays.copyOf(SyntheticReport.CHIP_ID, 8))
                .signedWith(pki.vekKeys.getPrivate());
        SnpVerificationResult result = verify(SnpPolicy.production(), report, pki.chain(pki.vcek(tcb, SyntheticReport.CHIP_ID).build()));
        assertThat(result.product()).contains(SnpProduct.TURIN);
        assertThat(result.reportedTcb()).isEqualTo(tcb);
    }

    @Test
    @DisplayName("a VEK key that is not EC P-384 is VEK_KEY_UNSUPPORTED")
    void vekKeyMustBeP384() throws Exception {
        Evidence milan = honest(SnpProduct.MILAN);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = generator.generateKeyPair();
        X509Certificate vcek = milan.pki().vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).subjectKey(p256.getPublic()).build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(vcek).chain())).isEqualTo(SnpFailure.VEK_KEY_UNSUPPORTED);
    }

    @Test
    @DisplayName("a VEK outside its validity at the injected clock is VEK_EXPIRED or VEK_NOT_YET_VALID")
    void vekValidity() {
        Evidence milan = honest(SnpProduct.MILAN);
        X509Certificate expired = milan.pki().vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2025-12-31T23:59:59Z")).build();
        X509Certificate future = milan.pki().vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .validity(Instant.parse("2026-01-01T00:00:01Z"), Instant.parse("2030-01-01T00:00:00Z")).build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(expired).chain())).isEqualTo(SnpFailure.VEK_EXPIRED);
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(future).chain())).isEqualTo(SnpFailure.VEK_NOT_YET_VALID);
    }

    @Test
    @DisplayName("a VEK that names the ASK but was signed by another key is CHAIN_SIG_INVALID")
    void forgedVek() {
        Evidence milan = honest(SnpProduct.MILAN);
        X509Certificate forged = milan.pki().vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .issuedBy("SEV-Milan", SyntheticAmdPki.of(SnpProduct.GENOA).askKeys.getPrivate()).build();
        assertThat(rejection(SnpPolicy.production(), milan.signed(), milan.withVek(forged).chain())).isEqualTo(SnpFailure.CHAIN_SIG_INVALID);
    }

    @Test
    @DisplayName("the minimum report version is a structural check: a version 2 report fails REPORT_VERSION_TOO_OLD under minimum 3")
    void minimumReportVersion() {
        Evidence milan = honest(SnpProduct.MILAN);
        byte[] versionTwo = new SyntheticReport().version(2).signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.builder().minimumReportVersion(3).build(), versionTwo, milan.chain()))
                .isEqualTo(SnpFailure.REPORT_VERSION_TOO_OLD);
        assertThat(verify(SnpPolicy.production(), versionTwo, milan.chain()).isAccepted()).isTrue();
    }

    @ParameterizedTest(name = "SIGNATURE_ALGO {0}")
    @ValueSource(ints = {0, 2, -1})
    @DisplayName("SIGNATURE_ALGO other than 1 is UNSUPPORTED_SIGNATURE_ALGO")
    void signatureAlgorithm(int algorithm) {
        Evidence milan = honest(SnpProduct.MILAN);
        byte[] report = new SyntheticReport().signatureAlgorithm(algorithm).signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.development(), report, milan.chain())).isEqualTo(SnpFailure.UNSUPPORTED_SIGNATURE_ALGO);
    }

    @Test
    @DisplayName("KEY_INFO: MASK_CHIP_KEY, SIGNING_KEY 2..7 and reserved bits are each rejected")
    void keyInfo() {
        Evidence milan = honest(SnpProduct.MILAN);
        assertThat(rejection(SnpPolicy.development(), new SyntheticReport().keyInfo(0x2).bytes(), milan.chain()))
                .isEqualTo(SnpFailure.MASK_CHIP_KEY_ENABLED);
        for (int selector = 2; selector <= 7; selector++) {
            assertThat(rejection(SnpPolicy.development(), new SyntheticReport().keyInfo(selector << 2).bytes(), milan.chain()))
                    .isEqualTo(SnpFailure.SIGNING_KEY_UNSUPPORTED);
        }
        assertThat(rejection(SnpPolicy.development(), new SyntheticReport().keyInfo(1 << 5).bytes(), milan.chain()))
                .isEqualTo(SnpFailure.REPORT_RESERVED_NONZERO);
    }

    @ParameterizedTest(name = "offset 0x{0}")
    @ValueSource(strings = {"04C", "04F", "18B", "19F", "1EB", "1EF", "208", "29F", "2D0", "2E7", "318", "32F", "330", "49F"})
    @DisplayName("a non-zero reserved byte or signature padding byte is REPORT_RESERVED_NONZERO")
    void reservedBytes(String offsetHex) {
        Evidence milan = honest(SnpProduct.MILAN);
        int offset = Integer.parseInt(offsetHex, 16);
        byte[] report = milan.signed();
        report[offset] = 1;
        assertThat(rejection(SnpPolicy.development(), report, milan.chain())).isEqualTo(SnpFailure.REPORT_RESERVED_NONZERO);
    }

    @Test
    @DisplayName("version-dependent reserved ranges: CPUID bytes are reserved in v2, the mitigation vectors before v5")
    void versionDependentReservedRanges() {
        Evidence milan = honest(SnpProduct.MILAN);
        byte[] versionTwoWithCpuid = new SyntheticReport().version(2).set(0x188, 0x19).signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.development(), versionTwoWithCpuid, milan.chain())).isEqualTo(SnpFailure.REPORT_RESERVED_NONZERO);
        byte[] versionThreeWithVector = new SyntheticReport().set(0x1F8, 1).signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(rejection(SnpPolicy.development(), versionThreeWithVector, milan.chain())).isEqualTo(SnpFailure.REPORT_RESERVED_NONZERO);
        byte[] versionFiveWithVector = new SyntheticReport().version(5).set(0x1F8, 1).signedWith(milan.pki().vekKeys.getPrivate());
        assertThat(verify(SnpPolicy.production(), versionFiveWithVector, milan.chain()).isAccepted()).isTrue();
    }

    @Test
    @DisplayName("POLICY with bit 17 clear or a bit above 25 set is GUEST_POLICY_INVALID")
    void guestPolicyReservedBits() {
        Evidence milan = honest(SnpProduct.MILAN);
        assertThat(rejection(SnpPolicy.development(), new SyntheticReport().policy(0x10000).signedWith(milan.pki().vekKeys.getPrivate()),
                milan.chain())).isEqualTo(SnpFailure.GUEST_POLICY_INVALID);
        assertThat(rejection(SnpPolicy.development(), new SyntheticReport().policy(0x30000 | 1L << 40).signedWith(milan.pki().vekKeys.getPrivate()),
                milan.chain())).isEqualTo(SnpFailure.GUEST_POLICY_INVALID);
    }

    @Test
    @DisplayName("a rejected report still yields every parsed field, the product and the VEK kind learnt so far")
    void rejectedResultKeepsWhatWasLearnt() {
        Evidence milan = honest(SnpProduct.MILAN);
        byte[] tampered = milan.signed();
        tampered[0x90] ^= 1;
        SnpVerificationResult result = verifier(SnpPolicy.production()).evaluate(SnpReport.parse(tampered), milan.chain());

        assertThat(result.isAccepted()).isFalse();
        assertThat(result.failure()).map(SnpVerificationException::failure).contains(SnpFailure.REPORT_SIG_INVALID);
        assertThat(result.product()).contains(SnpProduct.MILAN);
        assertThat(result.vekKind()).contains(VekKind.VCEK);
        assertThat(result.vekCertificate()).contains(milan.vek());
        assertThat(result.report().measurement()[0]).isEqualTo((byte) 1);
        assertThat(result.toString()).contains("rejected REPORT_SIG_INVALID");
    }
}
