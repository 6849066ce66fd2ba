package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collateral from configured files only, for air-gapped guests and verifiers: it never opens a
 * network connection. Certificates come from PEM or DER files (bundles allowed; a directory
 * stands for every regular file in it), CRLs from one DER or PEM file per product. Everything is
 * read and parsed once, by {@link #load}; look-ups only search memory.
 *
 * <p>A look-up finds the VCEK whose AMD extensions name the chip and TCB, then the ASK whose key
 * verifies that VCEK and the ARK whose key verifies the ASK, so that several products, chips and
 * TCBs (and even a retired ASK) can share one set of files. Immutable and thread-safe.
 */
public final class OfflineCollateral implements SnpCollateralSource, CrlSource {

    private final List<X509Certificate> certificates;
    private final Map<SnpProduct, byte[]> crls;

    private OfflineCollateral(List<X509Certificate> certificates, Map<SnpProduct, byte[]> crls) {
        this.certificates = List.copyOf(certificates);
        EnumMap<SnpProduct, byte[]> copied = new EnumMap<>(SnpProduct.class);
        crls.forEach((product, der) -> copied.put(product, der.clone()));
        this.crls = copied;
    }

    /**
     * Reads the configured files.
     *
     * @param certificateSources PEM or DER files, or directories whose regular files are all certificates
     * @param crlFiles           the CRL file of each product that has one
     * @throws IOException if a file cannot be read or is not a certificate bundle or CRL
     */
    public static OfflineCollateral load(Collection<Path> certificateSources, Map<SnpProduct, Path> crlFiles) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path source : certificateSources) {
            if (Files.isDirectory(source)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(source, Files::isRegularFile)) {
                    entries.forEach(files::add);
                }
                files.sort(null); // a stable order, whatever the directory listing's
                for (Path file : files) {
                    certificates.addAll(X509Parsing.certificates(Files.readAllBytes(file), file.toString()));
                }
            } else {
                certificates.addAll(X509Parsing.certificates(Files.readAllBytes(source), source.toString()));
            }
        }
        Map<SnpProduct, byte[]> crls = new EnumMap<>(SnpProduct.class);
        for (Map.Entry<SnpProduct, Path> entry : crlFiles.entrySet()) {
            byte[] crl = Files.readAllBytes(entry.getValue());
            X509Parsing.crl(crl, entry.getValue().toString());
            crls.put(entry.getKey(), crl);
        }
        return new OfflineCollateral(certificates, crls);
    }

    /** Collateral already in memory; the CRL bytes are copied. */
    public static OfflineCollateral of(Collection<X509Certificate> certificates, Map<SnpProduct, byte[]> crls) {
        return new OfflineCollateral(new ArrayList<>(certificates), crls);
    }

    /** Every certificate loaded, in file order. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /**
     * The chain {@code [VCEK, ASK, ARK]} from the configured certificates.
     *
     * @throws IOException if no configured VCEK matches the chip and TCB, or its ASK or ARK is missing
     */
    @Override
    public List<X509Certificate> chainFor(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) throws IOException {
        X509Certificate vcek = null;
        for (X509Certificate certificate : certificates) {
            if (VcekIdentity.matches(certificate, product, chipId, reportedTcb)) {
                vcek = certificate;
                break;
            }
        }
        if (vcek == null) {
            throw new IOException("offline collateral has no " + product.kdsName() + " VCEK for chip "
                    + HexFormat.of().formatHex(chipId, 0, Math.min(8, chipId.length)) + "... at "
                    + reportedTcb.withLayout(product.tcbLayout()));
        }
        X509Certificate ask = issuerOf(vcek, "SEV-" + product.kdsName());
        X509Certificate ark = issuerOf(ask, "ARK-" + product.kdsName());
        return List.of(vcek, ask, ark);
    }

    @Override
    public Optional<byte[]> crlDer(SnpProduct product) {
        byte[] crl = crls.get(product);
        return crl == null ? Optional.empty() : Optional.of(crl.clone());
    }

    private X509Certificate issuerOf(X509Certificate subject, String issuerCommonName) throws IOException {
        for (X509Certificate candidate : certificates) {
            if (X509Parsing.subjectCommonName(candidate).filter(issuerCommonName::equals).isPresent()
                    && X509Parsing.isSignedBy(subject, candidate)) {
                return candidate;
            }
        }
        throw new IOException("offline collateral has no " + issuerCommonName + " certificate that signed "
                + X509Parsing.subjectCommonName(subject).orElse("the certificate"));
    }

    @Override
    public String toString() {
        return "OfflineCollateral[" + certificates.size() + " certificates, CRLs for " + crls.keySet() + "]";
    }
}
