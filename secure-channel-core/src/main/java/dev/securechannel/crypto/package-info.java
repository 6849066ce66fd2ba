/**
 * The cryptography of protocol version 4: X25519 (BouncyCastle's RFC 7748 code), HKDF-SHA256
 * over the JDK's HMAC, the SHA-256 transcript and key schedule (PROTOCOL.md section 3), and
 * the ChaCha20-Poly1305 record layer on the JDK's own cipher (section 4).
 */
@NullMarked
package dev.securechannel.crypto;

import org.jspecify.annotations.NullMarked;
