package dev.securechannel.attestation.sevsnp;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies AMD's certificate revocation list for a product: the DER body of
 * {@code https://kdsintf.amd.com/vcek/v1/<Product>/crl}, signed by that product's ARK.
 *
 * <p>The verifier checks whatever it gets (issuer, ARK signature, thisUpdate and nextUpdate at
 * its clock, the ASK/ASVK serial), so a source need not be trusted. An empty result skips the
 * check unless the policy requires a CRL; an {@link IOException} always rejects the evidence,
 * so a source that cannot tell "none configured" from "fetch failed" should return empty only
 * for the former. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface CrlSource {

    /**
     * The DER CRL for {@code product}, or empty if this source has none.
     *
     * @throws IOException if the CRL should exist but could not be obtained
     */
    Optional<byte[]> crlDer(SnpProduct product) throws IOException;

    /** A source without CRLs: revocation is not checked unless the policy requires it. */
    static CrlSource none() {
        return product -> Optional.empty();
    }

    /** A fixed set of CRLs by product, for offline verifiers and tests; the bytes are copied. */
    static CrlSource of(Map<SnpProduct, byte[]> crls) {
        EnumMap<SnpProduct, byte[]> copied = new EnumMap<>(SnpProduct.class);
        crls.forEach((product, der) -> copied.put(product, der.clone()));
        return product -> Optional.ofNullable(copied.get(product)).map(byte[]::clone);
    }
}
