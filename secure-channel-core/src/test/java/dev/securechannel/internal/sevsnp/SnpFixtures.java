package dev.securechannel.internal.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.testing.SharedFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The real SEV-SNP fixtures of {@code testdata/fixtures/sev-snp}: reports, AMD certificates and
 * CRLs, and the expectations of {@code cases.json}.
 */
public final class SnpFixtures {

    public static final String ROOT = "fixtures/sev-snp/";
    /** Every fixture CRL is fresh and every VCEK valid at this instant (PROVENANCE.md). */
    public static final Instant FIXTURE_TIME = Instant.parse("2026-01-01T00:00:00Z");
    /** The VLEK expired on 2025-12-10; its case is checked here. */
    public static final Instant VLEK_TIME = Instant.parse("2025-06-01T00:00:00Z");
    /** The fixtures' verification date: every CRL is stale, the VLEK expired. */
    public static final Instant STALE_TIME = Instant.parse("2026-11-27T00:00:00Z");

    private SnpFixtures() {
    }

    /** The failure a verification step rejects with; fails the test if it does not reject. */
    public static SnpFailure failureOf(Runnable verification) {
        SnpVerificationException failure = catchThrowableOfType(SnpVerificationException.class, verification::run);
        assertThat(failure).as("verification should fail").isNotNull();
        return failure.failure();
    }

    public static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    public static Clock fixtureClock() {
        return clockAt(FIXTURE_TIME);
    }

    public static Path path(String relative) {
        return SharedFiles.path(ROOT + relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All certificates in a DER or PEM file, in file order. */
    public static List<X509Certificate> certificates(String relative) {
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes(relative)));
            List<X509Certificate> certificates = new ArrayList<>();
            parsed.forEach(certificate -> certificates.add((X509Certificate) certificate));
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalStateException(relative, e);
        }
    }

    public static X509Certificate certificate(String relative) {
        return certificates(relative).get(0);
    }

    public static X509Certificate ark(SnpProduct product) {
        return certificate("amd-kds/" + product.kdsName() + "/ark.pem");
    }

    public static X509Certificate ask(SnpProduct product) {
        return certificate("amd-kds/" + product.kdsName() + "/ask.pem");
    }

    public static X509Certificate asvk(SnpProduct product) {
        return certificate("go-sev-guest/verify/trust/ask_ark_" + product.kdsName().toLowerCase(java.util.Locale.ROOT) + "_vlek.pem");
    }

    public static byte[] crl(SnpProduct product) {
        return bytes("amd-kds/" + product.kdsName() + "/crl.der");
    }

    public static CrlSource realCrls() {
        Map<SnpProduct, byte[]> crls = new EnumMap<>(SnpProduct.class);
        for (SnpProduct product : SnpProduct.values()) {
            crls.put(product, crl(product));
        }
        return CrlSource.of(crls);
    }

    public static JsonNode cases() {
        return SharedFiles.json(ROOT + "cases.json").get("cases");
    }

    public static Stream<JsonNode> caseStream() {
        List<JsonNode> all = new ArrayList<>();
        cases().forEach(all::add);
        return all.stream();
    }

    public static JsonNode caseById(String id) {
        return caseStream().filter(c -> c.get("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id));
    }

    public static boolean isAzure(JsonNode fixtureCase) {
        return fixtureCase.get("kind").asString().equals("azure-hcl");
    }

    /** The HCL report of an Azure case. */
    public static byte[] hclReport(JsonNode fixtureCase) {
        return bytes(fixtureCase.get("hclFile").asString());
    }

    /** The raw 1184-byte SNP report of any case (cut out of the HCL report for Azure cases). */
    public static byte[] report(JsonNode fixtureCase) {
        if (isAzure(fixtureCase)) {
            return java.util.Arrays.copyOfRange(hclReport(fixtureCase), 32, 32 + 1184);
        }
        byte[] file = bytes(fixtureCase.get("reportFile").asString());
        if (fixtureCase.get("reportFormat").asString().equals("hex")) {
            return SharedFiles.hex(new String(file, StandardCharsets.US_ASCII).trim());
        }
        return file;
    }

    /** The VCEK/VLEK of a case. */
    public static X509Certificate vek(JsonNode fixtureCase) {
        return certificates(fixtureCase.get("vekFile").asString()).get(0);
    }

    /** The intermediate (ASK or ASVK) of a case: the first certificate of its askFile. */
    public static X509Certificate intermediate(JsonNode fixtureCase) {
        String askFile = fixtureCase.get("askFile").asString();
        int note = askFile.indexOf(" (");
        return certificate(note < 0 ? askFile : askFile.substring(0, note));
    }

    /** VEK, intermediate, ARK: the evidence a provider would send. */
    public static List<X509Certificate> chain(JsonNode fixtureCase) {
        return List.of(vek(fixtureCase), intermediate(fixtureCase), certificate(fixtureCase.get("arkFile").asString()));
    }

    public static SnpProduct product(JsonNode fixtureCase) {
        return SnpProduct.fromKdsName(fixtureCase.get("product").asString()).orElseThrow();
    }

    /** The clock at which a case's chain is valid and every CRL fresh. */
    public static Instant validTime(JsonNode fixtureCase) {
        return fixtureCase.get("id").asString().contains("vlek") ? VLEK_TIME : FIXTURE_TIME;
    }
}
