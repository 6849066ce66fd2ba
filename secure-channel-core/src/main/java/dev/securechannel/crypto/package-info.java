/**
 * The cryptography of protocol version 4: X25519, HKDF-SHA256, the SHA-256 transcript and key
 * schedule (PROTOCOL.md section 3) and the record layer (section 4), all running on a
 * {@link dev.securechannel.crypto.CryptoBackend} chosen once per process by
 * {@link dev.securechannel.crypto.CryptoBackends}: Conscrypt, the JDK's providers or
 * BouncyCastle, each self-tested before use.
 */
@NullMarked
package dev.securechannel.crypto;

import org.jspecify.annotations.NullMarked;
