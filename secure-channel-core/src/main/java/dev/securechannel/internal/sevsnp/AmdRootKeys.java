package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * AMD's root keys (ARKs) for Milan, Genoa and Turin, bundled with this library and pinned:
 * at load, each certificate's SubjectPublicKeyInfo must have the SHA-256 below (the values of
 * the fixtures' PROVENANCE.md, taken from AMD KDS), carry the subject CN {@code ARK-<Product>}
 * and verify its own signature. An ARK that arrives with evidence is never a trust anchor: it
 * is only compared with these.
 */
public final class AmdRootKeys {

    private static final Map<SnpProduct, String> SPKI_SHA256 = Map.of(
            SnpProduct.MILAN, "9f056bee44377e29308cb5ffa895bdfb62d18881fa6bed8d6f075b0204089cb9",
            SnpProduct.GENOA, "429a69c9422aa258ee4d8db5fcda9c6470ef15f8cd5a9cebd6cbc7d90b863831",
            SnpProduct.TURIN, "4f125410563a2ab9a50356f9243f6fe0b6f73de98603f53f90339c70e9d7ad08");

    private static final Map<SnpProduct, X509Certificate> ARKS = load();

    private AmdRootKeys() {
    }

    /** The pinned ARK of {@code product}. */
    public static X509Certificate ark(SnpProduct product) {
        return ARKS.get(product);
    }

    /** The product whose pinned ARK has the same public key as {@code candidate}, if any. */
    public static Optional<SnpProduct> productOf(X509Certificate candidate) {
        byte[] spki = candidate.getPublicKey().getEncoded();
        for (Map.Entry<SnpProduct, X509Certificate> ark : ARKS.entrySet()) {
            if (MessageDigest.isEqual(spki, ark.getValue().getPublicKey().getEncoded())) {
                return Optional.of(ark.getKey());
            }
        }
        return Optional.empty();
    }

    /** All pinned ARKs by product. */
    static Map<SnpProduct, X509Certificate> all() {
        return ARKS;
    }

    private static Map<SnpProduct, X509Certificate> load() {
        EnumMap<SnpProduct, X509Certificate> arks = new EnumMap<>(SnpProduct.class);
        for (SnpProduct product : SnpProduct.values()) {
            X509Certificate ark = read(product);
            String actual = HexFormat.of().formatHex(sha256(ark.getPublicKey().getEncoded()));
            if (!actual.equals(SPKI_SHA256.get(product))) {
                throw new IllegalStateException("bundled ARK-" + product.kdsName() + " does not match its pin: SPKI SHA-256 " + actual);
            }
            if (!Certificates.subjectCommonName(ark).equals(Optional.of("ARK-" + product.kdsName()))) {
                throw new IllegalStateException("bundled ARK-" + product.kdsName() + " has subject " + ark.getSubjectX500Principal());
            }
            try {
                ark.verify(ark.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("bundled ARK-" + product.kdsName() + " is not validly self-signed", e);
            }
            arks.put(product, ark);
        }
        return Map.copyOf(arks);
    }

    private static X509Certificate read(SnpProduct product) {
        String resource = "ark-" + product.kdsName().toLowerCase(java.util.Locale.ROOT) + ".pem";
        try (InputStream in = AmdRootKeys.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled ARK resource " + resource + " is missing");
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bundled ARK resource " + resource + " does not parse", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
