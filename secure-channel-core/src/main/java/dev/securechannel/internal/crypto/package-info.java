/**
 * The cryptography of protocol version 4: X25519, HKDF-SHA256, the SHA-256 transcript and key
 * schedule (PROTOCOL.md section 3) and the record layer (section 4), all running on a
 * {@link dev.securechannel.internal.crypto.CryptoBackend} chosen once per process by
 * {@link dev.securechannel.internal.crypto.CryptoBackends}: Conscrypt, the JDK's providers or
 * BouncyCastle, each self-tested before use.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.crypto;

import org.jspecify.annotations.NullMarked;

