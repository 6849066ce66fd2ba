/**
 * AMD SEV-SNP attestation: the verifiers of the attestation SPI
 * ({@link SevSnpAttestationVerifier} for the 1184-byte attestation report with its AMD
 * certificate chain, {@link AzureSevSnpAttestationVerifier} for the Azure vTPM HCL report),
 * configured by a guest policy ({@link SnpPolicy}, or {@link SnpPolicySettings} from named
 * settings) and a CRL source ({@link CrlSource}). The verifiers check the report's signature,
 * the chain to AMD's pinned ARK, the CRL, the binding of the VCEK/VLEK certificate to the
 * report and the policy; the values they report are {@link TcbVersion}, {@link TcbComponent}
 * and {@link SnpProduct}. Outside a handshake, {@link SnpReportVerifier} verifies a bare report
 * or an HCL report offline and returns a {@link SnpReportVerdict} with every field read, for
 * tools that show why evidence was rejected.
 *
 * <p>Every rejection is a {@link SnpVerificationException} carrying a {@link SnpFailure};
 * parsers never let another exception escape on malformed input. Values are immutable and
 * byte arrays are copied in and out.
 */
@NullMarked
package dev.securechannel.attestation.sevsnp;

import org.jspecify.annotations.NullMarked;

