package dev.securechannel.internal.crypto;

import java.util.Locale;
import org.conscrypt.Conscrypt;

/**
 * The only class that names Conscrypt, an optional dependency: it is loaded only when a
 * backend is selected, so the core runs without Conscrypt on the class path.
 */
final class ConscryptLoader {

    private ConscryptLoader() {
    }

    /**
     * A Conscrypt backend over a new provider instance, never installed globally (that would
     * change the application's TLS).
     *
     * @throws IllegalStateException when Conscrypt is not on the class path or its native
     *                               library does not load on this OS and CPU
     */
    static JcaBackend load() {
        try {
            Class.forName("org.conscrypt.Conscrypt", false, ConscryptLoader.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Conscrypt is not on the class path (org.conscrypt:conscrypt-openjdk-uber)");
        }
        return loadPresent();
    }

    private static JcaBackend loadPresent() {
        if (!Conscrypt.isAvailable()) {
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            String cause;
            try {
                Conscrypt.checkAvailability();
                cause = "unknown cause";
            } catch (Throwable e) {
                cause = e.toString();
            }
            throw new IllegalStateException("Conscrypt's native library does not load on " + platform.toLowerCase(Locale.ROOT) + ": " + cause);
        }
        Conscrypt.Version version = Conscrypt.version();
        String description = "conscrypt " + version.major() + "." + version.minor() + "." + version.patch() + " (BoringSSL)";
        return JcaBackend.of("conscrypt", description, Conscrypt.newProvider());
    }
}
