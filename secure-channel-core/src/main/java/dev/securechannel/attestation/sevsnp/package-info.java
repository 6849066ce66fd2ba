/**
 * AMD SEV-SNP attestation: the 1184-byte attestation report ({@link SnpReport}), the AMD
 * certificate chain to a pinned ARK, the optional CRL ({@link CrlSource}), the binding of the
 * VCEK/VLEK certificate to the report, guest policy ({@link SnpPolicy}), the Azure vTPM HCL
 * report ({@link HclReport}), the wire documents of the Rust reference
 * ({@link SevSnpDocument}, {@link AzureSnpDocument}), the reusable verification engine
 * ({@link SevSnpVerifier}) and its adapters to the attestation SPI
 * ({@link SevSnpAttestationVerifier}, {@link AzureSevSnpAttestationVerifier}).
 *
 * <p>Every rejection is a {@link SnpVerificationException} carrying a {@link SnpFailure};
 * parsers never let another exception escape on malformed input. Values are immutable and
 * byte arrays are copied in and out.
 */
@NullMarked
package dev.securechannel.attestation.sevsnp;

import org.jspecify.annotations.NullMarked;
