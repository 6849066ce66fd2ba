package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A synthetic AMD-shaped PKI for one product (ARK, ASK, ASVK with RSASSA-PSS, EC P-384 VCEKs
 * and VLEKs with AMD extensions) and signed synthetic reports, for the checks no real fixture
 * can reach (Turin reports, SPL mismatches, revoked intermediates...). The verifier trusts it
 * only through its package-private constructor. Key generation is slow, so instances are cached.
 */
public final class SyntheticAmdPki {

    public static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
    public static final Instant CA_NOT_AFTER = Instant.parse("2045-01-01T00:00:00Z");
    public static final Instant VEK_NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
    private static final String PSS = "SHA384WITHRSAANDMGF1";
    private static final Map<SnpProduct, SyntheticAmdPki> CACHE = new EnumMap<>(SnpProduct.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    public final SnpProduct product;
    public final KeyPair arkKeys;
    public final KeyPair askKeys;
    public final KeyPair asvkKeys;
    public final X509Certificate ark;
    public final X509Certificate ask;
    public final X509Certificate asvk;
    public final KeyPair vekKeys;

    private SyntheticAmdPki(SnpProduct product) {
        this.product = product;
        this.arkKeys = rsa();
        this.askKeys = rsa();
        this.asvkKeys = rsa();
        this.vekKeys = ecP384();
        int base = (product.ordinal() + 1) << 16;
        // Serials as AMD's: ARK 0x0P0000, ASK 0x0P0002 (0x020001 is the retired Genoa ASK), ASVK 0x0P0101.
        this.ark = caCertificate("ARK-" + product.kdsName(), BigInteger.valueOf(base), arkKeys, "ARK-" + product.kdsName(), arkKeys.getPrivate(), -1);
        this.ask = caCertificate("SEV-" + product.kdsName(), BigInteger.valueOf(base + 2), askKeys, "ARK-" + product.kdsName(), arkKeys.getPrivate(), 0);
        this.asvk = caCertificate("SEV-VLEK-" + product.kdsName(), BigInteger.valueOf(base + 0x101), asvkKeys, "ARK-" + product.kdsName(), arkKeys.getPrivate(), 0);
    }

    public static synchronized SyntheticAmdPki of(SnpProduct product) {
        return CACHE.computeIfAbsent(product, SyntheticAmdPki::new);
    }

    /** The synthetic ARKs of every product, for the verifier's test constructor. */
    public static Map<SnpProduct, X509Certificate> pinnedArks() {
        Map<SnpProduct, X509Certificate> arks = new EnumMap<>(SnpProduct.class);
        for (SnpProduct product : SnpProduct.values()) {
            arks.put(product, of(product).ark);
        }
        return arks;
    }

    /** A VCEK for this product with SPLs from {@code tcb} and hwID from {@code chipId}. */
    public VekBuilder vcek(TcbVersion tcb, byte[] chipId) {
        VekBuilder builder = new VekBuilder(VekKind.VCEK).tcb(tcb);
        int hwIdLength = product == SnpProduct.TURIN ? 8 : 64;
        return builder.rawExtension(VekExtensions.OID_HW_ID, java.util.Arrays.copyOf(chipId, hwIdLength));
    }

    /** A VLEK for this product with SPLs from {@code tcb}. */
    public VekBuilder vlek(TcbVersion tcb) {
        return new VekBuilder(VekKind.VLEK).tcb(tcb).ia5(VekExtensions.OID_CSP_ID, "CN=synthetic-csp.example");
    }

    /** A CRL signed by this product's ARK. */
    public byte[] crl(Instant thisUpdate, @Nullable Instant nextUpdate, BigInteger... revokedSerials) {
        return crlSignedBy(arkKeys.getPrivate(), new X500Name("CN=ARK-" + product.kdsName()), thisUpdate, nextUpdate, revokedSerials);
    }

    public static byte[] crlSignedBy(PrivateKey key, X500Name issuer, Instant thisUpdate, @Nullable Instant nextUpdate, BigInteger... revokedSerials) {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
        if (nextUpdate != null) {
            builder.setNextUpdate(Date.from(nextUpdate));
        }
        for (BigInteger serial : revokedSerials) {
            builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        try {
            return new JcaX509CRLConverter().getCRL(builder.build(signer(key))).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An intermediate with another serial (for revocation tests), signed by this ARK. */
    public X509Certificate askWithSerial(BigInteger serial) {
        return caCertificate("SEV-" + product.kdsName(), serial, askKeys, "ARK-" + product.kdsName(), arkKeys.getPrivate(), 0);
    }

    /** This product's ASK with another validity window. */
    public X509Certificate askValid(Instant notBefore, Instant notAfter) {
        return caCertificate("SEV-" + product.kdsName(), ask.getSerialNumber(), askKeys, "ARK-" + product.kdsName(),
                arkKeys.getPrivate(), 0, notBefore, notAfter);
    }

    /** A self-signed certificate that looks like this product's ARK but has another key. */
    public X509Certificate impostorArk() {
        KeyPair keys = rsa();
        return caCertificate("ARK-" + product.kdsName(), BigInteger.ONE, keys, "ARK-" + product.kdsName(), keys.getPrivate(), -1);
    }

    /** Builds a VCEK or VLEK with any combination of AMD extensions. */
    public final class VekBuilder {
        private final VekKind kind;
        private final Map<String, ASN1Encodable> encoded = new java.util.LinkedHashMap<>();
        private final Map<String, byte[]> raw = new java.util.LinkedHashMap<>();
        private Instant notBefore = NOT_BEFORE;
        private Instant notAfter = VEK_NOT_AFTER;
        private String subjectCn;
        private @Nullable PrivateKey issuerKey;
        private @Nullable String issuerCn;
        private java.security.PublicKey subjectKey = vekKeys.getPublic();

        private VekBuilder(VekKind kind) {
            this.kind = kind;
            this.subjectCn = kind.commonName();
            integer(VekExtensions.OID_STRUCT_VERSION, product == SnpProduct.TURIN ? 1 : 0);
            ia5(VekExtensions.OID_PRODUCT_NAME, product == SnpProduct.MILAN && kind == VekKind.VCEK ? "Milan-B0" : product.kdsName());
        }

        public VekBuilder tcb(TcbVersion tcb) {
            spl("3.1", tcb.bootloader());
            spl("3.2", tcb.tee());
            spl("3.3", tcb.snp());
            spl("3.8", tcb.microcode());
            tcb.fmc().ifPresent(fmc -> spl("3.9", fmc));
            return this;
        }

        public VekBuilder spl(String arc, int value) {
            return integer(VekExtensions.OID_ARC + "." + arc, value);
        }

        public VekBuilder integer(String oid, long value) {
            raw.remove(oid);
            encoded.put(oid, new ASN1Integer(value));
            return this;
        }

        VekBuilder ia5(String oid, String value) {
            raw.remove(oid);
            encoded.put(oid, new DERIA5String(value));
            return this;
        }

        public VekBuilder octetString(String oid, byte[] value) {
            raw.remove(oid);
            encoded.put(oid, new DEROctetString(value));
            return this;
        }

        /** An extension whose extnValue contents are these bytes, without a DER tag (as AMD's hwID). */
        public VekBuilder rawExtension(String oid, byte[] contents) {
            encoded.remove(oid);
            raw.put(oid, contents.clone());
            return this;
        }

        public VekBuilder without(String oid) {
            encoded.remove(oid);
            raw.remove(oid);
            return this;
        }

        public VekBuilder validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        public VekBuilder subjectCn(String cn) {
            this.subjectCn = cn;
            return this;
        }

        public VekBuilder subjectKey(java.security.PublicKey key) {
            this.subjectKey = key;
            return this;
        }

        public VekBuilder issuedBy(String cn, PrivateKey key) {
            this.issuerCn = cn;
            this.issuerKey = key;
            return this;
        }

        public X509Certificate build() {
            String issuer = issuerCn != null ? issuerCn : kind.intermediateCommonName(product);
            PrivateKey signingKey = issuerKey != null ? issuerKey : (kind == VekKind.VCEK ? askKeys : asvkKeys).getPrivate();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), BigInteger.ZERO,
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + subjectCn), subjectKey);
            try {
                for (Map.Entry<String, ASN1Encodable> extension : encoded.entrySet()) {
                    builder.addExtension(new ASN1ObjectIdentifier(extension.getKey()), false, extension.getValue());
                }
                for (Map.Entry<String, byte[]> extension : raw.entrySet()) {
                    builder.addExtension(new Extension(new ASN1ObjectIdentifier(extension.getKey()), false, extension.getValue()));
                }
                return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Signs a report as the firmware does: ECDSA P-384 over [0, 0x2A0), r and s little-endian. */
    public static byte[] sign(byte[] report, PrivateKey vekKey) {
        byte[] signed = report.clone();
        try {
            Signature signature = Signature.getInstance("SHA384withECDSAinP1363Format");
            signature.initSign(vekKey);
            signature.update(signed, 0, 0x2A0);
            byte[] p1363 = signature.sign();
            java.util.Arrays.fill(signed, 0x2A0, 0x4A0, (byte) 0);
            for (int i = 0; i < 48; i++) {
                signed[0x2A0 + i] = p1363[47 - i];
                signed[0x2E8 + i] = p1363[95 - i];
            }
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The evidence for a VEK of this PKI: VEK, intermediate, ARK. */
    public List<X509Certificate> chain(X509Certificate vek) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(vek);
        chain.add(Certificates.subjectCommonName(vek).orElseThrow().equals("SEV-VLEK") ? asvk : ask);
        chain.add(ark);
        return chain;
    }

    public static KeyPair ecP384() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate caCertificate(String subjectCn, BigInteger serial, KeyPair subjectKeys, String issuerCn,
                                                 PrivateKey issuerKey, int pathLength) {
        return caCertificate(subjectCn, serial, subjectKeys, issuerCn, issuerKey, pathLength, NOT_BEFORE, CA_NOT_AFTER);
    }

    private static X509Certificate caCertificate(String subjectCn, BigInteger serial, KeyPair subjectKeys, String issuerCn,
                                                 PrivateKey issuerKey, int pathLength, Instant notBefore, Instant notAfter) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn), serial,
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + subjectCn), subjectKeys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            // The JDK names PSS "RSASSA-PSS" with parameters; BouncyCastle's signer needs its own provider.
            return new JcaContentSignerBuilder(PSS).setProvider(BC).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
