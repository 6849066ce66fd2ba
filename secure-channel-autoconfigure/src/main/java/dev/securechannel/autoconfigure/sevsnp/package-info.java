/** Auto-configuration of AMD SEV-SNP attestation: policy, collateral, providers and verifiers. */
@NullMarked
package dev.securechannel.autoconfigure.sevsnp;

import org.jspecify.annotations.NullMarked;
