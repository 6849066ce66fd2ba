package dev.securechannel.attestation.sevsnp;

import java.util.Optional;

/**
 * An AMD EPYC generation with its own ARK, certificate chain and KDS path. Siena uses the
 * Genoa roots and is reported as {@link #GENOA}.
 */
public enum SnpProduct {

    /** EPYC 7003 (family 19h, models 00h–0Fh). */
    MILAN("Milan", TcbVersion.Layout.MILAN_GENOA),
    /** EPYC 9004/8004 (family 19h, models 10h–1Fh and A0h–AFh). */
    GENOA("Genoa", TcbVersion.Layout.MILAN_GENOA),
    /** EPYC 9005 (family 1Ah, models 00h–11h); its TCB adds an FMC SPL. */
    TURIN("Turin", TcbVersion.Layout.TURIN);

    private final String kdsName;
    private final TcbVersion.Layout tcbLayout;

    SnpProduct(String kdsName, TcbVersion.Layout tcbLayout) {
        this.kdsName = kdsName;
        this.tcbLayout = tcbLayout;
    }

    /** The name in AMD KDS paths and certificate names: {@code Milan}, {@code Genoa}, {@code Turin}. */
    public String kdsName() {
        return kdsName;
    }

    /** How this product's firmware lays out a TCB_VERSION. */
    public TcbVersion.Layout tcbLayout() {
        return tcbLayout;
    }

    /**
     * The product of a CPUID family (extended family + family) and model (extended model × 16 +
     * model), as reported in version 3+ reports; empty for any other CPU, including AMD's newer
     * families, which this verifier has no roots for.
     */
    public static Optional<SnpProduct> fromCpuid(int family, int model) {
        if (family == 0x19 && model >= 0x00 && model <= 0x0F) {
            return Optional.of(MILAN);
        }
        if (family == 0x19 && ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF))) {
            return Optional.of(GENOA);
        }
        if (family == 0x1A && model >= 0x00 && model <= 0x11) {
            return Optional.of(TURIN);
        }
        return Optional.empty();
    }

    /** The product with exactly this KDS name ({@code Milan}, ...); case-sensitive. */
    public static Optional<SnpProduct> fromKdsName(String name) {
        for (SnpProduct product : values()) {
            if (product.kdsName.equals(name)) {
                return Optional.of(product);
            }
        }
        return Optional.empty();
    }

    /**
     * The product of a VCEK/VLEK {@code productName} extension: the part before an optional
     * stepping suffix ({@code Milan-B0} → Milan, {@code Genoa} → Genoa).
     */
    public static Optional<SnpProduct> fromProductName(String productName) {
        int dash = productName.indexOf('-');
        return fromKdsName(dash < 0 ? productName : productName.substring(0, dash));
    }
}
