package dev.securechannel.attestation.sevsnp;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.internal.sevsnp.AzureSnpDocument;
import dev.securechannel.internal.sevsnp.AzureSnpVerificationResult;
import dev.securechannel.internal.sevsnp.SevSnpVerifier;
import dev.securechannel.internal.sevsnp.SnpClaims;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Verifies {@code AZ_SNP_V1} documents (Azure confidential VMs, vTPM HCL report): the SNP
 * report completely, as {@link SevSnpAttestationVerifier} does, REPORT_DATA ==
 * SHA-256(runtime claims) || 32 zero bytes, and {@code user-data} = public key (32) || nonce
 * (32), each reported absent when all zero. Claims without {@code user-data} are rejected
 * (USER_DATA_MISSING): they cannot bind a handshake.
 *
 * <p>The result has platform {@code SEV-SNP (Azure)}, measurement index 0 = MEASUREMENT (which
 * covers the paravisor and firmware, not the guest OS), and the claims of
 * {@link SevSnpAttestationVerifier} plus, when the runtime claims carry them:
 * {@code azure.vm-id} ({@code vm-configuration.vmUniqueId}), {@code azure.secure-boot},
 * {@code azure.tpm-enabled}, {@code azure.tpm-persisted}, {@code azure.console-enabled},
 * {@code azure.key-ids} (comma-separated JWK ids, {@code HCLAkPub,HCLEkPub}), and always
 * {@code azure.hcl-version} and {@code azure.runtime-claims-hash} (hex). Thread-safe if the
 * {@link CrlSource} is.
 */
public final class AzureSevSnpAttestationVerifier implements AttestationVerifier {

    /** The verifier type name. */
    public static final String TYPE = "sev-snp-azure";
    /** The platform name of verified evidence. */
    public static final String PLATFORM = "SEV-SNP (Azure)";

    private final SevSnpVerifier verifier;

    public AzureSevSnpAttestationVerifier(SnpPolicy policy, CrlSource crlSource, Clock clock) {
        this(new SevSnpVerifier(policy, crlSource, clock));
    }

    AzureSevSnpAttestationVerifier(SevSnpVerifier verifier) {
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
        AzureSnpDocument decoded = AzureSnpDocument.decode(document.bytes());
        AzureSnpVerificationResult result = verifier.verifyAzure(decoded.hclReport(), decoded.certificates());
        byte[] userData = result.userData().orElseThrow(() -> new SnpVerificationException(
                SnpFailure.USER_DATA_MISSING, "the runtime claims carry no user-data to bind the handshake"));
        return new VerifiedAttestation(document.sha256(),
                SevSnpAttestationVerifier.nonZero(Arrays.copyOfRange(userData, 0, 32)),
                SevSnpAttestationVerifier.nonZero(Arrays.copyOfRange(userData, 32, 64)), null,
                Map.of(0, result.snp().report().measurement()), PLATFORM, false, SnpClaims.ofAzure(result));
    }
}
