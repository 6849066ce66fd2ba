package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The AMD chain with real certificates: pinned ARKs, classification by CN in any order,
 * cross-product chains, unknown or duplicate certificates, forged and expired ones.
 */
class AmdCertificateChainTest {

    private static final JsonNode MILAN = SnpFixtures.caseById("oak-milan-v3");
    private static final JsonNode GENOA = SnpFixtures.caseById("oak-genoa-v5");

    private static SnpFailure rejection(JsonNode fixtureCase, List<X509Certificate> chain) {
        return rejection(SnpFixtures.report(fixtureCase), chain);
    }

    private static SnpFailure rejection(byte[] report, List<X509Certificate> chain) {
        return failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock()).verify(report, chain));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SnpProduct.class)
    @DisplayName("the bundled ARKs are AMD's: SPKI and DER SHA-256 equal PROVENANCE.md, CN ARK-<Product>, same as the KDS file")
    void bundledArksArePinned(SnpProduct product) throws Exception {
        X509Certificate ark = AmdRootKeys.ark(product);
        String expectedDer = switch (product) {
            case MILAN -> "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd";
            case GENOA -> "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1";
            case TURIN -> "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a";
        };
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ark.getEncoded()))).isEqualTo(expectedDer);
        assertThat(Certificates.subjectCommonName(ark)).contains("ARK-" + product.kdsName());
        assertThat(ark).isEqualTo(SnpFixtures.ark(product));
        assertThat(AmdRootKeys.productOf(SnpFixtures.ark(product))).contains(product);
        assertThat(AmdRootKeys.productOf(SnpFixtures.ask(product))).isEmpty();
    }

    @Test
    @DisplayName("the real chain passes in every order of VCEK, ASK and ARK")
    void everyOrderPasses() {
        List<X509Certificate> chain = new ArrayList<>(SnpFixtures.chain(MILAN));
        Random random = new Random(7);
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock());
        for (int round = 0; round < 6; round++) {
            Collections.shuffle(chain, random);
            assertThat(verifier.verify(SnpFixtures.report(MILAN), chain).isAccepted()).as("order %s", chain).isTrue();
        }
    }

    @Test
    @DisplayName("an empty chain is CERT_CHAIN_MISSING; a missing VCEK or ASK is CERT_TYPE_MISSING")
    void missingCertificates() {
        X509Certificate vcek = SnpFixtures.vek(MILAN);
        X509Certificate ask = SnpFixtures.ask(SnpProduct.MILAN);
        X509Certificate ark = SnpFixtures.ark(SnpProduct.MILAN);
        assertThat(rejection(MILAN, List.of())).isEqualTo(SnpFailure.CERT_CHAIN_MISSING);
        assertThat(rejection(MILAN, List.of(ask, ark))).isEqualTo(SnpFailure.CERT_TYPE_MISSING);
        assertThat(rejection(MILAN, List.of(vcek, ark))).isEqualTo(SnpFailure.CERT_TYPE_MISSING);
    }

    @Test
    @DisplayName("two certificates in one role are CERT_DUPLICATE; a non-AMD CN is CERT_UNKNOWN_SUBJECT")
    void duplicatesAndStrangers() {
        X509Certificate vcek = SnpFixtures.vek(MILAN);
        X509Certificate ask = SnpFixtures.ask(SnpProduct.MILAN);
        X509Certificate ark = SnpFixtures.ark(SnpProduct.MILAN);
        assertThat(rejection(MILAN, List.of(vcek, ask, ark, ark))).isEqualTo(SnpFailure.CERT_DUPLICATE);
        assertThat(rejection(MILAN, List.of(vcek, vcek, ask))).isEqualTo(SnpFailure.CERT_DUPLICATE);
        assertThat(rejection(MILAN, List.of(vcek, ask, SnpFixtures.ask(SnpProduct.GENOA)))).isEqualTo(SnpFailure.CERT_DUPLICATE);
        X509Certificate stranger = SyntheticAmdPki.of(SnpProduct.MILAN).vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .subjectCn("www.example.com").build();
        assertThat(rejection(MILAN, List.of(vcek, ask, stranger))).isEqualTo(SnpFailure.CERT_UNKNOWN_SUBJECT);
        X509Certificate venice = SyntheticAmdPki.of(SnpProduct.MILAN).vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID)
                .subjectCn("SEV-Venice").build();
        assertThat(rejection(MILAN, List.of(vcek, ask, venice))).isEqualTo(SnpFailure.CERT_UNKNOWN_SUBJECT);
    }

    @Test
    @DisplayName("an ARK in the evidence that is not AMD's pinned key is ARK_NOT_KNOWN (a look-alike self-signed root)")
    void unknownArk() {
        X509Certificate impostor = SyntheticAmdPki.of(SnpProduct.MILAN).impostorArk();
        assertThat(rejection(MILAN, List.of(SnpFixtures.vek(MILAN), SnpFixtures.ask(SnpProduct.MILAN), impostor)))
                .isEqualTo(SnpFailure.ARK_NOT_KNOWN);
    }

    @Test
    @DisplayName("a synthetic chain that is internally valid but ends in its own ARK is refused by the real verifier")
    void selfMadeChainIsRefused() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        byte[] report = new SyntheticReport().signedWith(pki.vekKeys.getPrivate());
        X509Certificate vcek = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).build();
        assertThat(rejection(report, pki.chain(vcek))).isEqualTo(SnpFailure.ARK_NOT_KNOWN);
        assertThat(rejection(report, List.of(vcek, pki.ask))).as("without the ARK the pinned one is used").isEqualTo(SnpFailure.CHAIN_SIG_INVALID);
    }

    @Test
    @DisplayName("cross-product chains: a Milan VCEK with the Genoa ASK or ARK, a Genoa report with Milan's, the Turin VCEK with Milan")
    void crossProductChains() {
        X509Certificate milanVcek = SnpFixtures.vek(MILAN);
        assertThat(rejection(MILAN, List.of(milanVcek, SnpFixtures.ask(SnpProduct.GENOA)))).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        assertThat(rejection(MILAN, List.of(milanVcek, SnpFixtures.ask(SnpProduct.MILAN), SnpFixtures.ark(SnpProduct.GENOA))))
                .isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        assertThat(rejection(GENOA, List.of(SnpFixtures.vek(GENOA), SnpFixtures.ask(SnpProduct.MILAN)))).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        X509Certificate turinVcek = SnpFixtures.certificate("virtee-sev/tests/certs_data/vcek_turin.der");
        assertThat(rejection(MILAN, List.of(turinVcek, SnpFixtures.ask(SnpProduct.MILAN)))).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
        // A Milan report with a Genoa chain: the CPUID (v3) and the chain disagree.
        assertThat(rejection(MILAN, List.of(SnpFixtures.vek(GENOA), SnpFixtures.ask(SnpProduct.GENOA)))).isEqualTo(SnpFailure.PRODUCT_MISMATCH);
    }

    @Test
    @DisplayName("the real Turin VCEK chains to the pinned Turin ARK, and not under Milan's")
    void turinVcekChain() {
        X509Certificate turinVcek = SnpFixtures.certificate("virtee-sev/tests/certs_data/vcek_turin.der");
        java.util.Date now = java.util.Date.from(SnpFixtures.FIXTURE_TIME);
        AmdCertificateChain.validate(AmdRootKeys.ark(SnpProduct.TURIN), SnpFixtures.ask(SnpProduct.TURIN), turinVcek, now);
        assertThat(failureOf(() -> AmdCertificateChain.validate(AmdRootKeys.ark(SnpProduct.MILAN), SnpFixtures.ask(SnpProduct.MILAN),
                turinVcek, now))).isEqualTo(SnpFailure.CHAIN_SIG_INVALID);
    }

    @Test
    @DisplayName("VCEK look-alikes not signed by AMD (raw and DER-wrapped hwID) fail CHAIN_SIG_INVALID")
    void vcekNotSignedByAmd() {
        JsonNode trustee = SnpFixtures.caseById("trustee-azure-milan-v2-raw");
        SnpPolicy noBinding = SnpPolicy.builder().checkTcbBinding(false).build();
        for (String file : List.of("test-vcek-invalid-legacy.der", "test-vcek-invalid-new.der")) {
            X509Certificate fake = SnpFixtures.certificate("trustee/deps/verifier/test_data/snp/" + file);
            assertThat(failureOf(() -> new SevSnpVerifier(noBinding, CrlSource.none(), SnpFixtures.fixtureClock())
                    .verify(SnpFixtures.report(trustee), List.of(fake, SnpFixtures.ask(SnpProduct.MILAN)))))
                    .as(file).isEqualTo(SnpFailure.CHAIN_SIG_INVALID);
        }
    }

    @Test
    @DisplayName("validity uses the injected clock: the real chain is refused before the VCEK's notBefore and after the ARK's notAfter")
    void validityUsesTheClock() {
        byte[] report = SnpFixtures.report(MILAN);
        List<X509Certificate> chain = SnpFixtures.chain(MILAN);
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2025-01-01T00:00:00Z"))).verify(report, chain))).isEqualTo(SnpFailure.VEK_NOT_YET_VALID);
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2046-01-01T00:00:00Z"))).verify(report, chain))).isEqualTo(SnpFailure.ARK_EXPIRED);
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2033-01-01T00:00:00Z"))).verify(report, chain))).isEqualTo(SnpFailure.VEK_EXPIRED);
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2015-01-01T00:00:00Z"))).verify(report, chain))).isEqualTo(SnpFailure.ARK_NOT_YET_VALID);
    }

    @Test
    @DisplayName("a synthetic ASK outside its validity is ASK_EXPIRED / ASK_NOT_YET_VALID")
    void askValidity() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        byte[] report = new SyntheticReport().signedWith(pki.vekKeys.getPrivate());
        X509Certificate vcek = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).build();
        SevSnpVerifier late = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2031-06-01T00:00:00Z")), SyntheticAmdPki.pinnedArks());
        assertThat(failureOf(() -> late.verify(report, pki.chain(vcek)))).isEqualTo(SnpFailure.VEK_EXPIRED);
        SevSnpVerifier afterCa = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(),
                SnpFixtures.clockAt(Instant.parse("2045-06-01T00:00:00Z")), SyntheticAmdPki.pinnedArks());
        assertThat(failureOf(() -> afterCa.verify(report, pki.chain(vcek)))).isEqualTo(SnpFailure.ARK_EXPIRED);
        assertThat(failureOf(() -> AmdCertificateChain.validate(AmdRootKeys.ark(SnpProduct.MILAN), SnpFixtures.ask(SnpProduct.MILAN),
                SnpFixtures.vek(MILAN), java.util.Date.from(Instant.parse("2048-01-01T00:00:00Z")))))
                .isEqualTo(SnpFailure.ARK_EXPIRED);
        assertThat(failureOf(() -> AmdCertificateChain.validate(pki.ark, pki.ask, vcek,
                java.util.Date.from(Instant.parse("2019-06-01T00:00:00Z"))))).isEqualTo(SnpFailure.ARK_NOT_YET_VALID);
        X509Certificate shortAsk = pki.askValid(Instant.parse("2022-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(failureOf(() -> AmdCertificateChain.validate(pki.ark, shortAsk, vcek, java.util.Date.from(SnpFixtures.FIXTURE_TIME))))
                .isEqualTo(SnpFailure.ASK_EXPIRED);
        assertThat(failureOf(() -> AmdCertificateChain.validate(pki.ark, shortAsk, vcek,
                java.util.Date.from(Instant.parse("2021-01-01T00:00:00Z"))))).isEqualTo(SnpFailure.ASK_NOT_YET_VALID);
    }
}
