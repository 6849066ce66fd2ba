/**
 * Implementation of SEV-SNP verification, not API: it may change without notice. The report
 * and HCL report parsers, the wire documents of the Rust reference, AMD's pinned root keys, the
 * certificate chain, CRL and policy checks and the verification engine ({@link SevSnpVerifier})
 * behind {@link dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier} and
 * {@link dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier}, which are the API.
 */
@NullMarked
package dev.securechannel.internal.sevsnp;

import org.jspecify.annotations.NullMarked;

