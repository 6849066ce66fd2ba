package dev.securechannel.bench.endpoint;

/**
 * The one-way throughput bursts of the reference (confidential-ml-transport's transport
 * performance report): about 1 MiB per burst, as 682 messages of 1,536 B, 256 of 4 KiB,
 * 2 of 384 KiB or 1 of 1 MiB. One benchmark operation is one burst, so its bytes are
 * {@code size * messagesPerBurst(size)}; the report divides by the time per burst.
 */
public final class Bursts {

    private static final int ABOUT_ONE_MIB = 1024 * 1024;

    private Bursts() {
    }

    /** Messages per burst for a message size: the reference's counts, else about 1 MiB's worth (at least one). */
    public static int messagesPerBurst(int messageSize) {
        return switch (messageSize) {
            case 1536 -> 682;
            case 4096 -> 256;
            case 393216 -> 2;
            case 1048576 -> 1;
            default -> Math.max(1, ABOUT_ONE_MIB / Math.max(1, messageSize));
        };
    }
}
