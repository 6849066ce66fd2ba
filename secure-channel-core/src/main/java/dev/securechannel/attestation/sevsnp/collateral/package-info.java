/**
 * AMD certificates and CRLs for SEV-SNP evidence and its verification (SEV-SNP.md sections 3.2,
 * 3.4, 5.7): {@link dev.securechannel.attestation.sevsnp.collateral.AmdKdsClient} (AMD's
 * rate-limited Key Distribution Service), {@link dev.securechannel.attestation.sevsnp.collateral.ImdsThimClient}
 * (Azure's IMDS certificate cache, reachable only inside an Azure VM),
 * {@link dev.securechannel.attestation.sevsnp.collateral.CollateralCache} (VCEK chains by chip and
 * TCB, CRLs until their nextUpdate) and
 * {@link dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral} (configured files, no
 * network).
 *
 * <p>None of these sources is trusted: every certificate still has to chain to a pinned ARK and
 * every CRL has to be signed by it. They only decide whether evidence can be produced or checked
 * at all, so their failures are {@link java.io.IOException}s; rate limiting is a
 * {@link dev.securechannel.attestation.sevsnp.collateral.KdsRateLimitedException}.
 */
@NullMarked
package dev.securechannel.attestation.sevsnp.collateral;

import org.jspecify.annotations.NullMarked;
