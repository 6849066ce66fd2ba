package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.jspecify.annotations.Nullable;

/**
 * The AMD extensions of a VCEK or VLEK certificate (OID arc 1.3.6.1.4.1.3704.1, SEV-SNP.md 3.3):
 * the TCB it was issued for, the product, and the chip (VCEK {@code hwID}) or cloud provider
 * (VLEK {@code cspId}). Every extension is optional here; the verifier decides which it needs.
 * Immutable.
 */
public final class VekExtensions {

    static final String OID_ARC = "1.3.6.1.4.1.3704.1";
    static final String OID_STRUCT_VERSION = OID_ARC + ".1";
    static final String OID_PRODUCT_NAME = OID_ARC + ".2";
    static final String OID_HW_ID = OID_ARC + ".4";
    static final String OID_CSP_ID = OID_ARC + ".5";
    private static final Map<TcbComponent, String> SPL_OIDS = splOids();

    /** hwID lengths: 64 bytes on Milan/Genoa, 8 on Turin. */
    private static final int HW_ID_LENGTH = 64;
    private static final int TURIN_HW_ID_LENGTH = 8;

    private final @Nullable Integer structVersion;
    private final @Nullable String productName;
    private final Map<TcbComponent, Integer> spls;
    private final byte @Nullable [] hwId;
    private final @Nullable String cspId;

    private VekExtensions(@Nullable Integer structVersion, @Nullable String productName, Map<TcbComponent, Integer> spls,
                          byte @Nullable [] hwId, @Nullable String cspId) {
        this.structVersion = structVersion;
        this.productName = productName;
        this.spls = spls;
        this.hwId = hwId;
        this.cspId = cspId;
    }

    /**
     * Reads the AMD extensions of {@code certificate}.
     *
     * @throws SnpVerificationException VEK_EXTENSIONS_INVALID if a present extension is malformed
     */
    public static VekExtensions parse(X509Certificate certificate) {
        Integer structVersion = integer(certificate, OID_STRUCT_VERSION, "structVersion");
        String productName = text(certificate, OID_PRODUCT_NAME, "productName");
        EnumMap<TcbComponent, Integer> spls = new EnumMap<>(TcbComponent.class);
        SPL_OIDS.forEach((component, oid) -> {
            Integer spl = integer(certificate, oid, component + " SPL");
            if (spl != null) {
                spls.put(component, spl);
            }
        });
        byte[] hwId = hwId(certificate);
        String cspId = text(certificate, OID_CSP_ID, "cspId");
        return new VekExtensions(structVersion, productName, spls, hwId, cspId);
    }

    /** structVersion (0 on Milan/Genoa VCEKs and VLEKs, 1 on Turin VCEKs). */
    public OptionalInt structVersion() {
        return structVersion == null ? OptionalInt.empty() : OptionalInt.of(structVersion);
    }

    /** productName, for example {@code Milan-B0} or {@code Genoa}. */
    public Optional<String> productName() {
        return Optional.ofNullable(productName);
    }

    /** The product named by productName, ignoring the stepping suffix. */
    public Optional<SnpProduct> product() {
        return productName().flatMap(SnpProduct::fromProductName);
    }

    /** The SPL the certificate was issued for ({@code blSPL}, {@code teeSPL}, {@code snpSPL}, {@code ucodeSPL}, {@code fmcSPL}). */
    public OptionalInt spl(TcbComponent component) {
        Integer spl = spls.get(component);
        return spl == null ? OptionalInt.empty() : OptionalInt.of(spl);
    }

    /** The chip's hwID (VCEK only): 64 bytes, or 8 on Turin. */
    public Optional<byte[]> hwId() {
        return Optional.ofNullable(hwId).map(byte[]::clone);
    }

    /** The cloud service provider's ID (VLEK only), for example {@code CN=cc-us-east-2.amazonaws.com}. */
    public Optional<String> cspId() {
        return Optional.ofNullable(cspId);
    }

    @Override
    public String toString() {
        return "VekExtensions[productName=" + productName + ", structVersion=" + structVersion + ", spls=" + spls
                + (hwId == null ? "" : ", hwId=" + HexFormat.of().formatHex(hwId))
                + (cspId == null ? "" : ", cspId=" + cspId) + "]";
    }

    private static Map<TcbComponent, String> splOids() {
        EnumMap<TcbComponent, String> oids = new EnumMap<>(TcbComponent.class);
        oids.put(TcbComponent.BOOTLOADER, OID_ARC + ".3.1");
        oids.put(TcbComponent.TEE, OID_ARC + ".3.2");
        oids.put(TcbComponent.SNP, OID_ARC + ".3.3");
        oids.put(TcbComponent.MICROCODE, OID_ARC + ".3.8");
        oids.put(TcbComponent.FMC, OID_ARC + ".3.9");
        return oids;
    }

    /** The extnValue contents: {@code getExtensionValue} wraps them in one more OCTET STRING. */
    private static byte @Nullable [] extensionContents(X509Certificate certificate, String oid, String name) {
        byte[] wrapped = certificate.getExtensionValue(oid);
        if (wrapped == null) {
            return null;
        }
        try {
            return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped)).getOctets();
        } catch (IOException | RuntimeException e) {
            throw invalid(name + " extension is not wrapped in an OCTET STRING", e);
        }
    }

    /** A DER INTEGER from 0 to 255; values of 128 and more carry a leading zero byte. */
    private static @Nullable Integer integer(X509Certificate certificate, String oid, String name) {
        byte[] contents = extensionContents(certificate, oid, name);
        if (contents == null) {
            return null;
        }
        int value;
        try {
            value = ASN1Integer.getInstance(ASN1Primitive.fromByteArray(contents)).intValueExact();
        } catch (IOException | RuntimeException e) {
            throw invalid(name + " is not a DER INTEGER", e);
        }
        if (value < 0 || value > 0xFF) {
            throw invalid(name + " " + value + " is outside 0..255", null);
        }
        return value;
    }

    /** A DER IA5String, or raw printable ASCII as the Rust reference's comments describe. */
    private static @Nullable String text(X509Certificate certificate, String oid, String name) {
        byte[] contents = extensionContents(certificate, oid, name);
        if (contents == null) {
            return null;
        }
        if (contents.length > 0 && contents[0] == 0x16) {
            try {
                return ASN1IA5String.getInstance(ASN1Primitive.fromByteArray(contents)).getString();
            } catch (IOException | RuntimeException e) {
                throw invalid(name + " is not a DER IA5String", e);
            }
        }
        if (contents.length == 0) {
            throw invalid(name + " is empty", null);
        }
        for (byte b : contents) {
            if (b < 0x20 || b > 0x7E) {
                throw invalid(name + " is neither an IA5String nor printable ASCII", null);
            }
        }
        return new String(contents, StandardCharsets.US_ASCII);
    }

    /** Raw 64 or 8 bytes (as AMD issues it) or the same wrapped in a DER OCTET STRING (as some tools do). */
    private static byte @Nullable [] hwId(X509Certificate certificate) {
        byte[] contents = extensionContents(certificate, OID_HW_ID, "hwID");
        if (contents == null) {
            return null;
        }
        if (contents.length == HW_ID_LENGTH || contents.length == TURIN_HW_ID_LENGTH) {
            return contents;
        }
        byte[] unwrapped;
        try {
            unwrapped = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(contents)).getOctets();
        } catch (IOException | RuntimeException e) {
            throw invalid("hwID is " + contents.length + " bytes and not an OCTET STRING", e);
        }
        if (unwrapped.length != HW_ID_LENGTH && unwrapped.length != TURIN_HW_ID_LENGTH) {
            throw invalid("hwID is " + unwrapped.length + " bytes, expected 64 or 8", null);
        }
        return unwrapped;
    }

    private static SnpVerificationException invalid(String detail, @Nullable Throwable cause) {
        return cause == null
                ? new SnpVerificationException(SnpFailure.VEK_EXTENSIONS_INVALID, detail)
                : new SnpVerificationException(SnpFailure.VEK_EXTENSIONS_INVALID, detail, cause);
    }
}
