package dev.securechannel.crypto;

import dev.securechannel.internal.crypto.CryptoBackends;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which crypto backend to use, as set with {@code SessionConfig.Builder.cryptoBackend} or the
 * starter's {@code secure-channel.crypto.backend}.
 */
public enum CryptoBackendChoice {
    /**
     * Conscrypt when its native library loads on this OS and CPU and passes the self-test;
     * otherwise, per operation, the fastest of the JDK and BouncyCastle (see {@link CryptoBackends}).
     */
    AUTO,
    /** Conscrypt (BoringSSL) for everything; a startup error where it cannot load. */
    CONSCRYPT,
    /** The JDK's own providers (SunJCE, SunEC, SUN) for everything. */
    JDK,
    /** BouncyCastle's pure-Java code for everything. */
    BOUNCYCASTLE;

    /** The setting's spelling: {@code auto}, {@code conscrypt}, {@code jdk} or {@code bouncycastle}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a setting, case-insensitively.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static CryptoBackendChoice fromSetting(String value) {
        for (CryptoBackendChoice choice : values()) {
            if (choice.settingValue().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("crypto backend must be one of "
                + Arrays.stream(values()).map(CryptoBackendChoice::settingValue).collect(Collectors.joining("|")) + ", was '" + value + "'");
    }
}
