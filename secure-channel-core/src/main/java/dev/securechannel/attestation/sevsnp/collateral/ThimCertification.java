package dev.securechannel.attestation.sevsnp.collateral;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What Azure's IMDS THIM endpoint returns for the VM's chip (SEV-SNP.md section 5.7).
 *
 * @param vcekCert         the VCEK in PEM
 * @param certificateChain the ASK then the ARK in PEM
 * @param tcbm             the TCB the VCEK was issued for: the eight TCB_VERSION bytes as a
 *                         little-endian u64 in 16 hex digits, most significant first
 *                         ({@code DB18000000000004} for microcode 0xDB, SNP 0x18, boot loader 4)
 */
public record ThimCertification(String vcekCert, String certificateChain, String tcbm) {

    public ThimCertification {
        if (tcbm.length() != 16 || !tcbm.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("tcbm must be 16 hex digits, not '" + tcbm + "'");
        }
    }

    /**
     * The certificate text the Rust reference puts into an {@code AZ_SNP_V1} document:
     * {@code vcekCert + "\n" + certificateChain}.
     */
    public String pemChain() {
        return vcekCert + "\n" + certificateChain;
    }

    /** The three certificates of {@link #pemChain()}: VCEK, ASK, ARK. */
    public List<X509Certificate> certificates() throws IOException {
        return X509Parsing.certificates(pemChain().getBytes(StandardCharsets.US_ASCII), "THIM certificates");
    }

    /**
     * The TCB_VERSION bytes in report order, for comparison with a report's REPORTED_TCB
     * ({@code TcbVersion.raw()}).
     */
    public byte[] tcbRaw() {
        byte[] bigEndian = HexFormat.of().parseHex(tcbm.toLowerCase(Locale.ROOT));
        byte[] reportOrder = new byte[bigEndian.length];
        for (int i = 0; i < bigEndian.length; i++) {
            reportOrder[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return reportOrder;
    }
}
