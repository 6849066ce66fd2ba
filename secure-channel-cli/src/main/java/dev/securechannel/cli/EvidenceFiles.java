package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpReportVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the command's input files. A file that cannot be used at all ends in
 * {@link InvalidInputException}; a file that reads but is not valid evidence is returned as is,
 * so that the verifier rejects it with a reason.
 */
final class EvidenceFiles {

    /** Far above any report, HCL report, certificate bundle or AMD CRL; guards against reading a wrong, huge file. */
    static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    private EvidenceFiles() {
    }

    /**
     * A raw report: 1184 bytes taken as they are, or hex text (either case, whitespace and line
     * breaks ignored). Binary content of another length is returned unchanged for the verifier
     * to reject.
     *
     * @throws InvalidInputException if the file cannot be read, is empty, or is text that is not hex
     */
    static byte[] readReport(String option, Path file) {
        byte[] content = read(option, file);
        if (content.length == SnpReportVerifier.REPORT_LENGTH || !isText(content)) {
            return content;
        }
        StringBuilder digits = new StringBuilder(content.length);
        for (byte b : content) {
            if (!isWhitespace(b)) {
                digits.append((char) b);
            }
        }
        if (digits.length() == 0) {
            throw new InvalidInputException(option + " " + file + " holds only whitespace");
        }
        if (digits.length() % 2 != 0) {
            throw new InvalidInputException(option + " " + file + " is hex text with an odd number of digits (" + digits.length() + ")");
        }
        try {
            return HexFormat.of().parseHex(digits.toString().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + file + " is text but not hex: neither a binary report nor hex digits", e);
        }
    }

    /**
     * A file's bytes as they are (the HCL report).
     *
     * @throws InvalidInputException if the file cannot be read or is empty
     */
    static byte[] readBinary(String option, Path file) {
        return read(option, file);
    }

    /**
     * Every certificate of every file, DER or PEM, several per file, in file order with exact
     * duplicates dropped: bundles overlap (a THIM VCEK bundle and AMD's cert_chain both carry the
     * ASK and ARK), while two different certificates for one role still reach the verifier,
     * which rejects them.
     *
     * @throws InvalidInputException for a file that cannot be read or holds no certificate
     */
    static List<X509Certificate> readCertificates(String option, List<Path> files) {
        Set<X509Certificate> certificates = new LinkedHashSet<>();
        for (Path file : files) {
            byte[] content = read(option, file);
            Collection<? extends Certificate> parsed;
            try {
                parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content));
            } catch (GeneralSecurityException | RuntimeException e) {
                // The JDK's parser is not specified to fail with CertificateException only.
                throw new InvalidInputException(option + " " + file + " holds no readable DER or PEM certificate: " + e.getMessage(), e);
            }
            if (parsed.isEmpty()) {
                throw new InvalidInputException(option + " " + file + " holds no certificate");
            }
            for (Certificate certificate : parsed) {
                if (!(certificate instanceof X509Certificate x509)) {
                    throw new InvalidInputException(option + " " + file + " holds a " + certificate.getType() + " certificate, not X.509");
                }
                certificates.add(x509);
            }
        }
        return List.copyOf(certificates);
    }

    /**
     * A CRL in DER or PEM, returned as DER; its issuer and signature are the verifier's business.
     *
     * @throws InvalidInputException if the file cannot be read or is not a CRL
     */
    static byte[] readCrl(String option, Path file) {
        byte[] content = read(option, file);
        try {
            CRL crl = CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(content));
            if (!(crl instanceof X509CRL x509)) {
                throw new InvalidInputException(option + " " + file + " is not an X.509 CRL");
            }
            return x509.getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(option + " " + file + " is not a readable DER or PEM CRL: " + e.getMessage(), e);
        }
    }

    private static byte[] read(String option, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(option + " " + file + " is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new InvalidInputException(option + " " + file + " is " + size + " bytes, more than the " + MAX_FILE_SIZE + " this tool reads");
            }
            byte[] content = Files.readAllBytes(file);
            if (content.length == 0) {
                throw new InvalidInputException(option + " " + file + " is empty");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(option + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(option + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new InvalidInputException(option + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * No control bytes but whitespace: somebody meant this as (hex) text. A binary report always
     * has control bytes, at least the zeros of its reserved fields.
     */
    private static boolean isText(byte[] content) {
        for (byte b : content) {
            if (!isWhitespace(b) && ((b >= 0 && b < 0x20) || b == 0x7F)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
