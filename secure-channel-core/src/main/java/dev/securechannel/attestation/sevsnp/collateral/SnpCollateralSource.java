package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Supplies the VCEK certificate chain for a chip at a TCB, for a guest whose host provided no
 * certificates (SEV-SNP.md section 6.3) or for a verifier that received a report without them.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SnpCollateralSource {

    /**
     * The chain {@code [VCEK, ASK, ARK]} for the chip and TCB of a report.
     *
     * @param product     the chip's product, which selects the KDS path and the TCB layout
     * @param chipId      the report's 64-byte CHIP_ID (Turin uses only the first 8 bytes)
     * @param reportedTcb the report's REPORTED_TCB, the TCB the VCEK is derived for
     * @throws IOException if the chain cannot be obtained, for example because the chip ID is
     *                     masked, the service refused or the source has no such VCEK
     */
    List<X509Certificate> chainFor(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) throws IOException;
}
