/**
 * The {@code secure-channel} command-line tool: {@code verify-sev-snp} verifies an AMD SEV-SNP
 * attestation report or an Azure HCL report offline with the core verifier and prints one JSON
 * verdict ({@link dev.securechannel.cli.SecureChannelCli} is the entry point). Exit status:
 * see {@link dev.securechannel.cli.ExitStatus}.
 */
@NullMarked
package dev.securechannel.cli;

import org.jspecify.annotations.NullMarked;
