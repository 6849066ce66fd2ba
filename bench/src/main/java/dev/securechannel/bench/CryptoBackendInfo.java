package dev.securechannel.bench;

import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;

/**
 * Prints the crypto backend the core selects on this JDK and CPU (the {@code auto} choice every
 * benchmark without a {@code backend} parameter runs on), per operation and why, as
 * {@code -XshowSettings:properties} prints properties, so that {@code run-report.sh} can append
 * it to each JDK's {@code jdk-flags-<feature>.txt} and the report can name it.
 */
public final class CryptoBackendInfo {

    /** The property name the report reads. */
    public static final String PROPERTY = "securechannel.crypto.backend";

    private CryptoBackendInfo() {
    }

    /** Prints {@code securechannel.crypto.backend = <description>} and one line per operation. */
    public static void main(String[] args) {
        CryptoBackend backend = CryptoBackends.auto();
        System.out.println("    " + PROPERTY + " = " + backend.description());
        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            System.out.println("    " + PROPERTY + "." + operation.name().toLowerCase(java.util.Locale.ROOT) + " = "
                    + backend.implementation(operation) + ": " + backend.reason(operation));
        }
    }
}
