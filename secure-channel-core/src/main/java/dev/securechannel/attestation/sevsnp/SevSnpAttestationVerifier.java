package dev.securechannel.attestation.sevsnp;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import dev.securechannel.internal.sevsnp.SevSnpVerifier;
import dev.securechannel.internal.sevsnp.SnpClaims;
import dev.securechannel.internal.sevsnp.SnpVerificationResult;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Verifies {@code SEV_SNP_V1} documents (the Rust reference's direct SEV-SNP evidence): the
 * report's signature, its AMD certificate chain, the CRL and the {@link SnpPolicy}. The report
 * binds the handshake raw: REPORT_DATA = public key (32) || nonce (32); each is reported absent
 * when all zero, so the handshake rejects it.
 *
 * <p>The result has platform {@code SEV-SNP}, measurement index 0 = MEASUREMENT (48 bytes), no
 * user data, and these claims (all strings): {@code sev-snp.product} ({@code Milan}, ...),
 * {@code sev-snp.report-version}, {@code sev-snp.vek} ({@code VCEK}/{@code VLEK}),
 * {@code sev-snp.reported-tcb} (raw hex) and {@code .bootloader}, {@code .tee}, {@code .snp},
 * {@code .microcode}, {@code .fmc} (Turin), {@code sev-snp.chip-id} (hex),
 * {@code sev-snp.policy} ({@code 0x30000}) and {@code .abi}, {@code .smt}, {@code .migrate-ma},
 * {@code .debug}, {@code .single-socket}, {@code sev-snp.vmpl}, {@code sev-snp.guest-svn},
 * {@code sev-snp.measurement}, {@code sev-snp.host-data}, {@code sev-snp.id-key-digest},
 * {@code sev-snp.family-id}, {@code sev-snp.image-id} (hex), {@code sev-snp.firmware}
 * ({@code 1.55.29}). Thread-safe if the {@link CrlSource} is.
 */
public final class SevSnpAttestationVerifier implements AttestationVerifier {

    /** The verifier type name. */
    public static final String TYPE = "sev-snp";
    /** The platform name of verified evidence. */
    public static final String PLATFORM = "SEV-SNP";

    private final SevSnpVerifier verifier;

    public SevSnpAttestationVerifier(SnpPolicy policy, CrlSource crlSource, Clock clock) {
        this(new SevSnpVerifier(policy, crlSource, clock));
    }

    SevSnpAttestationVerifier(SevSnpVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @throws SnpVerificationException for any rejection (reason ATTESTATION_VERIFICATION_FAILED)
     */
    @Override
    public VerifiedAttestation verify(AttestationDocument document) {
        SevSnpDocument decoded = SevSnpDocument.decode(document.bytes());
        SnpVerificationResult result = verifier.verify(decoded.report(), decoded.certificates());
        byte[] reportData = result.report().reportData();
        return new VerifiedAttestation(document.sha256(), nonZero(Arrays.copyOfRange(reportData, 0, 32)),
                nonZero(Arrays.copyOfRange(reportData, 32, 64)), null, Map.of(0, result.report().measurement()),
                PLATFORM, false, SnpClaims.of(result));
    }

    /** {@code value}, or {@code null} if it is all zero (the provider leaves absent values zero). */
    static byte @Nullable [] nonZero(byte[] value) {
        for (byte b : value) {
            if (b != 0) {
                return value;
            }
        }
        return null;
    }
}
