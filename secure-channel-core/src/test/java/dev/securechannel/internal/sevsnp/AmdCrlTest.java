package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * AMD's CRLs: the real ones are fresh at 2026-01-01 and stale later; issuer, ARK signature,
 * thisUpdate/nextUpdate and the intermediate's serial are each checked; the Genoa CRL revokes
 * serial 0x020001 (a retired ASK). Synthetic CRLs cover what no real one shows.
 */
class AmdCrlTest {

    private static final Date FRESH = Date.from(SnpFixtures.FIXTURE_TIME);
    private static final BigInteger RETIRED_GENOA_ASK = BigInteger.valueOf(0x020001);

    private static void check(CrlSource source, SnpProduct product, X509Certificate intermediate, Date now) {
        AmdCrlCheck.check(source, false, product, AmdRootKeys.ark(product), intermediate, now);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SnpProduct.class)
    @DisplayName("each real CRL verifies under its pinned ARK and does not list the current ASK at 2026-01-01")
    void realCrlsAreFresh(SnpProduct product) {
        assertThatCode(() -> check(SnpFixtures.realCrls(), product, SnpFixtures.ask(product), FRESH)).doesNotThrowAnyException();
        assertThatCode(() -> check(SnpFixtures.realCrls(), product, SnpFixtures.asvk(product), FRESH)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SnpProduct.class)
    @DisplayName("each real CRL is past nextUpdate at 2026-11-27: CRL_EXPIRED")
    void realCrlsGoStale(SnpProduct product) {
        assertThat(failureOf(() -> check(SnpFixtures.realCrls(), product, SnpFixtures.ask(product), Date.from(SnpFixtures.STALE_TIME))))
                .isEqualTo(SnpFailure.CRL_EXPIRED);
    }

    @Test
    @DisplayName("before its thisUpdate a real CRL is CRL_NOT_YET_VALID")
    void realCrlBeforeThisUpdate() {
        Date before = Date.from(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(failureOf(() -> check(SnpFixtures.realCrls(), SnpProduct.MILAN, SnpFixtures.ask(SnpProduct.MILAN), before)))
                .isEqualTo(SnpFailure.CRL_NOT_YET_VALID);
    }

    @Test
    @DisplayName("the real Genoa CRL revokes serial 0x020001: an intermediate with that serial is ASK_REVOKED")
    void realGenoaCrlRevokesRetiredAsk() {
        X509Certificate retired = SyntheticAmdPki.of(SnpProduct.GENOA).askWithSerial(RETIRED_GENOA_ASK);
        assertThat(failureOf(() -> check(SnpFixtures.realCrls(), SnpProduct.GENOA, retired, FRESH))).isEqualTo(SnpFailure.ASK_REVOKED);
        assertThat(SnpFixtures.ask(SnpProduct.GENOA).getSerialNumber()).isEqualTo(BigInteger.valueOf(0x020002));
    }

    @Test
    @DisplayName("the Genoa CRL against the Milan ARK is CRL_ISSUER_MISMATCH (cross-product CRL)")
    void crossProductCrl() {
        CrlSource genoaCrlForMilan = CrlSource.of(Map.of(SnpProduct.MILAN, SnpFixtures.crl(SnpProduct.GENOA)));
        assertThat(failureOf(() -> check(genoaCrlForMilan, SnpProduct.MILAN, SnpFixtures.ask(SnpProduct.MILAN), FRESH)))
                .isEqualTo(SnpFailure.CRL_ISSUER_MISMATCH);
    }

    @Test
    @DisplayName("a CRL with the ARK's name but another signer is CRL_SIG_INVALID")
    void crlSignedByAnotherKey() {
        X509Certificate ark = AmdRootKeys.ark(SnpProduct.MILAN);
        byte[] forged = SyntheticAmdPki.crlSignedBy(SyntheticAmdPki.of(SnpProduct.MILAN).arkKeys.getPrivate(),
                X500Name.getInstance(ark.getSubjectX500Principal().getEncoded()), Instant.parse("2025-06-01T00:00:00Z"),
                Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(failureOf(() -> check(CrlSource.of(Map.of(SnpProduct.MILAN, forged)), SnpProduct.MILAN,
                SnpFixtures.ask(SnpProduct.MILAN), FRESH))).isEqualTo(SnpFailure.CRL_SIG_INVALID);
    }

    @Test
    @DisplayName("bytes that are not a CRL are CRL_PARSE_FAILED")
    void garbageCrl() {
        for (byte[] garbage : List.of(new byte[0], new byte[] {0x30, 0x00}, "not a crl".getBytes(), SnpFixtures.bytes("amd-kds/Milan/ark.pem"))) {
            assertThat(failureOf(() -> check(CrlSource.of(Map.of(SnpProduct.MILAN, garbage)), SnpProduct.MILAN,
                    SnpFixtures.ask(SnpProduct.MILAN), FRESH))).isEqualTo(SnpFailure.CRL_PARSE_FAILED);
        }
    }

    @Test
    @DisplayName("no CRL is fine unless the policy requires one (CRL_MISSING); a failing source is always CRL_UNAVAILABLE")
    void absentAndFailingSources() {
        X509Certificate ask = SnpFixtures.ask(SnpProduct.MILAN);
        X509Certificate ark = AmdRootKeys.ark(SnpProduct.MILAN);
        assertThatCode(() -> AmdCrlCheck.check(CrlSource.none(), false, SnpProduct.MILAN, ark, ask, FRESH)).doesNotThrowAnyException();
        assertThat(failureOf(() -> AmdCrlCheck.check(CrlSource.none(), true, SnpProduct.MILAN, ark, ask, FRESH)))
                .isEqualTo(SnpFailure.CRL_MISSING);
        CrlSource failing = product -> {
            throw new IOException("KDS unreachable");
        };
        assertThat(failureOf(() -> AmdCrlCheck.check(failing, false, SnpProduct.MILAN, ark, ask, FRESH))).isEqualTo(SnpFailure.CRL_UNAVAILABLE);
    }

    @Test
    @DisplayName("CrlSource.of copies its input and answers only for the products it holds")
    void crlSourceOfCopies() throws IOException {
        byte[] der = SnpFixtures.crl(SnpProduct.MILAN);
        CrlSource source = CrlSource.of(Map.of(SnpProduct.MILAN, der));
        der[10] ^= 1;
        source.crlDer(SnpProduct.MILAN).orElseThrow()[11] ^= 1;
        assertThat(source.crlDer(SnpProduct.MILAN)).hasValueSatisfying(value -> assertThat(value).isEqualTo(SnpFixtures.crl(SnpProduct.MILAN)));
        assertThat(source.crlDer(SnpProduct.GENOA)).isEmpty();
        assertThat(CrlSource.none().crlDer(SnpProduct.TURIN)).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("end to end: a real report verifies with the real CRL required, and fails CRL_MISSING without one")
    void requiredCrlEndToEnd() {
        JsonNode genoa = SnpFixtures.caseById("oak-genoa-v5");
        SnpPolicy requireCrl = SnpPolicy.builder().requireCrl(true).build();
        byte[] report = SnpFixtures.report(genoa);
        assertThat(new SevSnpVerifier(requireCrl, SnpFixtures.realCrls(), SnpFixtures.fixtureClock())
                .verify(report, SnpFixtures.chain(genoa)).isAccepted()).isTrue();
        assertThat(failureOf(() -> new SevSnpVerifier(requireCrl, CrlSource.none(), SnpFixtures.fixtureClock())
                .verify(report, SnpFixtures.chain(genoa)))).isEqualTo(SnpFailure.CRL_MISSING);
    }

    @Test
    @DisplayName("end to end (synthetic Genoa PKI): an ASK the ARK's CRL revokes, serial 0x020001, is ASK_REVOKED")
    void revokedAskEndToEnd() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.GENOA);
        X509Certificate retiredAsk = pki.askWithSerial(RETIRED_GENOA_ASK);
        SyntheticReport report = SyntheticReport.forProduct(SnpProduct.GENOA);
        X509Certificate vcek = pki.vcek(report.parse().reportedTcb(), SyntheticReport.CHIP_ID).build();
        byte[] signed = report.signedWith(pki.vekKeys.getPrivate());
        byte[] crl = pki.crl(Instant.parse("2025-10-24T00:00:00Z"), Instant.parse("2026-10-31T00:00:00Z"), RETIRED_GENOA_ASK);
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.production(), CrlSource.of(Map.of(SnpProduct.GENOA, crl)),
                SnpFixtures.fixtureClock(), SyntheticAmdPki.pinnedArks());

        assertThat(failureOf(() -> verifier.verify(signed, List.of(vcek, retiredAsk, pki.ark)))).isEqualTo(SnpFailure.ASK_REVOKED);
        assertThat(verifier.verify(signed, List.of(vcek, pki.ask, pki.ark)).isAccepted()).as("the current ASK passes").isTrue();
    }

    @Test
    @DisplayName("end to end (synthetic): a revoked ASVK fails a VLEK report the same way")
    void revokedAsvkEndToEnd() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        SyntheticReport report = new SyntheticReport().signedByVlek();
        X509Certificate vlek = pki.vlek(SyntheticReport.MILAN_TCB).build();
        byte[] crl = pki.crl(Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"), pki.asvk.getSerialNumber());
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.production(), CrlSource.of(Map.of(SnpProduct.MILAN, crl)),
                SnpFixtures.fixtureClock(), SyntheticAmdPki.pinnedArks());
        assertThat(failureOf(() -> verifier.verify(report.signedWith(pki.vekKeys.getPrivate()), pki.chain(vlek))))
                .isEqualTo(SnpFailure.ASK_REVOKED);
    }

    @Test
    @DisplayName("a CRL without nextUpdate never goes stale, so it is refused as CRL_EXPIRED")
    void crlWithoutNextUpdate() {
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        byte[] crl = pki.crl(Instant.parse("2025-06-01T00:00:00Z"), null);
        assertThat(failureOf(() -> AmdCrlCheck.check(CrlSource.of(Map.of(SnpProduct.MILAN, crl)), false, SnpProduct.MILAN,
                pki.ark, pki.ask, FRESH))).isEqualTo(SnpFailure.CRL_EXPIRED);
    }
}
