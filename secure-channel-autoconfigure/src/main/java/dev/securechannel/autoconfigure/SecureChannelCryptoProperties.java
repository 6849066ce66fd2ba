package dev.securechannel.autoconfigure;

import dev.securechannel.crypto.CryptoBackendChoice;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which implementation runs the channel's cryptography ({@code secure-channel.crypto.*}).
 */
@ConfigurationProperties(prefix = "secure-channel.crypto")
public class SecureChannelCryptoProperties {

    /**
     * Crypto backend for the record AEAD, X25519 and SHA-256/HMAC: auto (Conscrypt where its
     * native library loads, otherwise the JDK's AEAD and hash with BouncyCastle's X25519),
     * conscrypt, jdk or bouncycastle. An explicit backend that cannot load or fails its
     * known-answer self-test stops startup.
     */
    private CryptoBackendChoice backend = CryptoBackendChoice.AUTO;

    public CryptoBackendChoice getBackend() {
        return backend;
    }

    public void setBackend(CryptoBackendChoice backend) {
        this.backend = backend;
    }
}
