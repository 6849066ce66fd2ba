package dev.securechannel.attestation;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of the latest local attestation self-check. Holds nothing secret: the local
 * measurement is public (it is what peers compare against) and no evidence is kept.
 *
 * @param provider     the provider's type, for example {@code mock}
 * @param platform     the platform name, for example {@code SEV-SNP}
 * @param secure       whether provider and verifier claim to prove anything ({@code false} for the mock)
 * @param checked      whether a check has run yet
 * @param healthy      whether the latest check produced evidence the local verifier accepted
 * @param failure      why the latest check failed (a failure reason tag), or {@code null}
 * @param error        the type of the exception behind {@code failure}, or {@code null}
 * @param measurement  the local launch measurement (index 0) in hex, or {@code null} when the evidence has none
 * @param lastEvidence when evidence was last produced and accepted, or {@code null}
 * @param checkedAt    when the latest check ran, or {@code null}
 * @param claims       what the local verifier established about this machine's own evidence
 *                     (platform facts such as the SEV-SNP product and reported TCB), empty until a check succeeds
 */
public record LocalAttestationStatus(String provider, String platform, boolean secure, boolean checked, boolean healthy,
                                     @Nullable String failure, @Nullable String error, @Nullable String measurement,
                                     @Nullable Instant lastEvidence, @Nullable Instant checkedAt, Map<String, String> claims) {

    public LocalAttestationStatus {
        claims = Map.copyOf(claims);
    }
}
