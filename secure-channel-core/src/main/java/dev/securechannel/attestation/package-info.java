/**
 * The attestation SPI: a provider produces evidence bound to a handshake's public key and
 * nonce, a verifier checks a peer's evidence and reports what it proves, and expected
 * measurements pin what the peer must run. The mock implementations are named
 * {@code InsecureMock...} and are refused by the production profile.
 * {@link dev.securechannel.attestation.LocalAttestationMonitor} checks this machine's own
 * provider and verifier periodically, for health checks.
 */
@NullMarked
package dev.securechannel.attestation;

import org.jspecify.annotations.NullMarked;

