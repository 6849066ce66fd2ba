/**
 * The choice of crypto backend a configuration may pin
 * ({@link dev.securechannel.crypto.CryptoBackendChoice}); the cryptography itself is internal.
 */
@NullMarked
package dev.securechannel.crypto;

import org.jspecify.annotations.NullMarked;

