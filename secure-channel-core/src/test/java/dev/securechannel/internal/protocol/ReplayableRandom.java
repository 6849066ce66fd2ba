package dev.securechannel.internal.protocol;

import java.util.Random;

/**
 * Seeded randomness for the property and fuzz tests of this package, so that any failure can
 * be replayed exactly.
 *
 * <p>Every test that draws random cases prints its seed ({@code seed=...}) before it starts. To
 * replay a failure, pass that value back:
 * {@code ./mvnw -pl secure-channel-core test -Dsecurechannel.seed=<seed> -Dtest=<TestClass>}.
 * Without the property each test uses its own fixed default seed, so the build is deterministic.
 */
final class ReplayableRandom {

    /** System property that overrides the default seed of every randomised test. */
    static final String SEED_PROPERTY = "securechannel.seed";

    private ReplayableRandom() {
    }

    /**
     * A generator seeded from {@value #SEED_PROPERTY} when set (decimal or 0x-hex), else from
     * {@code defaultSeed}; the seed is printed together with {@code testName}.
     */
    static Random create(String testName, long defaultSeed) {
        String configured = System.getProperty(SEED_PROPERTY);
        long seed = configured == null || configured.isBlank() ? defaultSeed : Long.decode(configured.trim());
        System.out.println("seed=" + seed + " (" + testName + "; replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return new Random(seed);
    }

    /** {@code length} random bytes. */
    static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A random u32, with the boundary values 0 and 2^32 - 1 drawn more often than chance. */
    static long u32(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> 0L;
            case 1 -> FrameCodec.MAX_SEQUENCE;
            default -> random.nextLong() & FrameCodec.MAX_SEQUENCE;
        };
    }
}
