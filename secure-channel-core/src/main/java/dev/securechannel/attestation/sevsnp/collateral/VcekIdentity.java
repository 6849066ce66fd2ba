package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.internal.sevsnp.VekExtensions;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Whether a configured certificate is the VCEK of a chip at a TCB, read from its AMD extensions
 * (SEV-SNP.md section 3.3). A look-up key, not a check: the verifier validates whatever
 * certificate it is given.
 */
final class VcekIdentity {

    private VcekIdentity() {
    }

    /**
     * Subject {@code SEV-VCEK}, issuer {@code SEV-<Product>}, hwID equal to the start of the chip
     * ID, and every SPL (with fmcSPL on Turin) equal to the TCB's in the product's layout.
     */
    static boolean matches(X509Certificate certificate, SnpProduct product, byte[] chipId, TcbVersion reportedTcb) {
        if (!X509Parsing.subjectCommonName(certificate).filter("SEV-VCEK"::equals).isPresent()
                || !X509Parsing.issuerCommonName(certificate).filter(("SEV-" + product.kdsName())::equals).isPresent()) {
            return false;
        }
        VekExtensions extensions;
        try {
            extensions = VekExtensions.parse(certificate);
        } catch (SnpVerificationException malformed) {
            return false;
        }
        byte[] hwId = extensions.hwId().orElse(null);
        if (hwId == null || chipId.length < hwId.length || !Arrays.equals(hwId, 0, hwId.length, chipId, 0, hwId.length)) {
            return false;
        }
        TcbVersion tcb = reportedTcb.withLayout(product.tcbLayout());
        for (TcbComponent component : TcbComponent.values()) {
            OptionalInt wanted = tcb.component(component);
            if (wanted.isPresent() && !extensions.spl(component).equals(wanted)) {
                return false;
            }
        }
        return true;
    }
}
