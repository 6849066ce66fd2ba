/**
 * Producing SEV-SNP evidence inside a confidential guest (SEV-SNP.md sections 5.5, 5.8, 6, 7).
 *
 * <p>The two attestation providers wrap a report source into the Rust reference's wire
 * documents: {@link dev.securechannel.attestation.sevsnp.guest.SevSnpAttestationProvider}
 * ({@code SEV_SNP_V1}) asks a {@link dev.securechannel.attestation.sevsnp.guest.SnpReportDevice}
 * (Linux configfs-tsm, any SNP guest outside Azure:
 * {@link dev.securechannel.attestation.sevsnp.guest.SnpReportDevice#configfsTsm()}), and
 * {@link dev.securechannel.attestation.sevsnp.guest.AzureSevSnpAttestationProvider}
 * ({@code AZ_SNP_V1}) uses the Azure vTPM NV mailbox over raw TPM 2.0 commands sent through a
 * {@link dev.securechannel.attestation.sevsnp.guest.TpmDevice}
 * ({@link dev.securechannel.attestation.sevsnp.guest.TpmDevice#linux()}). Tests substitute
 * simulated devices for both interfaces.
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

