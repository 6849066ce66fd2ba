/**
 * Implementation of SEV-SNP evidence production, not API: it may change without notice. The
 * configfs-tsm report device, the Azure vTPM report flow and its TPM 2.0 commands, the Linux
 * TPM device and the host's certificate table. Use
 * {@link dev.securechannel.attestation.sevsnp.guest} instead.
 */
@NullMarked
package dev.securechannel.internal.sevsnp.guest;

import org.jspecify.annotations.NullMarked;

