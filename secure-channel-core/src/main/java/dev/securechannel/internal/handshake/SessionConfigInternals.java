package dev.securechannel.internal.handshake;

import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.X25519KeyPair;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the protocol implementation reads from a {@link SessionConfig} beyond its public
 * accessors: the resolved crypto backend, the extension sets and the source of ephemeral keys.
 * Not API: these are implementation types, kept off {@code SessionConfig}'s public surface so
 * that its signatures name public types only.
 *
 * <p>{@link SessionConfig} registers the one implementation when its class initialises, which
 * happens before any configuration or builder exists to be passed here.
 */
public abstract class SessionConfigInternals {

    private static volatile @Nullable SessionConfigInternals instance;

    /** For {@link SessionConfig} alone: the constructor refuses a second registration. */
    protected SessionConfigInternals() {
        synchronized (SessionConfigInternals.class) {
            if (instance != null) {
                throw new IllegalStateException("SessionConfig's internals are already registered");
            }
            instance = this;
        }
    }

    private static SessionConfigInternals get() {
        return Objects.requireNonNull(instance, "SessionConfig not initialised");
    }

    /** Where {@code config}'s record AEAD, X25519, transcript and HKDF run. */
    public static CryptoBackend cryptoBackend(SessionConfig config) {
        return get().backendOf(config);
    }

    /** The extensions {@code config} offers as initiator and accepts as responder (PROTOCOL.md section 8.1). */
    public static Extensions enabledExtensions(SessionConfig config) {
        return get().enabledOf(config);
    }

    /** The extensions a handshake under {@code config} must negotiate (a subset of the enabled ones). */
    public static Extensions requiredExtensions(SessionConfig config) {
        return get().requiredOf(config);
    }

    /** A fresh ephemeral key pair for one handshake under {@code config}. */
    public static X25519KeyPair newEphemeralKeyPair(SessionConfig config) {
        return get().ephemeralKeyPairOf(config);
    }

    /** Makes {@code builder}'s configurations take their ephemeral key pairs from {@code source}, for example a pool. */
    public static SessionConfig.Builder ephemeralKeys(SessionConfig.Builder builder, Supplier<X25519KeyPair> source) {
        return get().withEphemeralKeys(builder, source);
    }

    protected abstract CryptoBackend backendOf(SessionConfig config);

    protected abstract Extensions enabledOf(SessionConfig config);

    protected abstract Extensions requiredOf(SessionConfig config);

    protected abstract X25519KeyPair ephemeralKeyPairOf(SessionConfig config);

    protected abstract SessionConfig.Builder withEphemeralKeys(SessionConfig.Builder builder, Supplier<X25519KeyPair> source);
}
