package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;

/**
 * Which versioned endorsement key signed a report (KEY_INFO.SIGNING_KEY): the chip-unique
 * VCEK, issued by the ASK, or the cloud provider's VLEK, issued by the ASVK.
 */
public enum VekKind {
    /** Versioned Chip Endorsement Key: CN {@code SEV-VCEK}, issuer {@code SEV-<Product>}. */
    VCEK("SEV-VCEK", 0),
    /** Versioned Loaded Endorsement Key: CN {@code SEV-VLEK}, issuer {@code SEV-VLEK-<Product>}. */
    VLEK("SEV-VLEK", 1);

    private final String commonName;
    private final int signingKeySelector;

    VekKind(String commonName, int signingKeySelector) {
        this.commonName = commonName;
        this.signingKeySelector = signingKeySelector;
    }

    /** The certificate's subject CN. */
    public String commonName() {
        return commonName;
    }

    /** The KEY_INFO.SIGNING_KEY value that selects this key. */
    public int signingKeySelector() {
        return signingKeySelector;
    }

    /** The subject CN of the intermediate that issues this kind for {@code product}. */
    public String intermediateCommonName(SnpProduct product) {
        return this == VCEK ? "SEV-" + product.kdsName() : "SEV-VLEK-" + product.kdsName();
    }
}
