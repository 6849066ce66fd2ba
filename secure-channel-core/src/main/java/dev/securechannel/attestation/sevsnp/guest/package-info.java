/**
 * Producing SEV-SNP evidence inside a confidential guest (SEV-SNP.md sections 5.5, 5.8, 6, 7).
 *
 * <p>Two report sources: {@link dev.securechannel.attestation.sevsnp.guest.ConfigfsTsmReportDevice}
 * (Linux configfs-tsm, any SNP guest outside Azure) and
 * {@link dev.securechannel.attestation.sevsnp.guest.AzureVtpmReportDevice} (the Azure vTPM NV
 * mailbox, over raw TPM 2.0 commands built by {@link dev.securechannel.attestation.sevsnp.guest.Tpm2Commands}
 * and sent through a {@link dev.securechannel.attestation.sevsnp.guest.TpmDevice}). The two
 * attestation providers wrap them into the Rust reference's wire documents:
 * {@link dev.securechannel.attestation.sevsnp.guest.SevSnpAttestationProvider} ({@code SEV_SNP_V1})
 * and {@link dev.securechannel.attestation.sevsnp.guest.AzureSevSnpAttestationProvider}
 * ({@code AZ_SNP_V1}).
 *
 * <p>Every failure to produce evidence is a
 * {@link dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException} (reason
 * ATTESTATION_GENERATION_FAILED) carrying a
 * {@link dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure}; plain I/O failures of the
 * device files stay {@link java.io.IOException}s.
 */
@NullMarked
package dev.securechannel.attestation.sevsnp.guest;

import org.jspecify.annotations.NullMarked;
