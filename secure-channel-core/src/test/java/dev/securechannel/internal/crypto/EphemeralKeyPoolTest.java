package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EphemeralKeyPoolTest {

    @Test
    void fillsInTheBackgroundUpToItsCapacity() throws InterruptedException {
        try (EphemeralKeyPool pool = EphemeralKeyPool.start(8, new SecureRandom())) {
            awaitAvailable(pool, 8);
            Thread.sleep(50);
            assertThat(pool.available()).isEqualTo(8);
            assertThat(pool.capacity()).isEqualTo(8);
        }
    }

    @Test
    void servesReadyPairsAsHits() throws InterruptedException {
        try (EphemeralKeyPool pool = EphemeralKeyPool.start(4, new SecureRandom())) {
            awaitAvailable(pool, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(pool.get().isDestroyed()).isFalse();
            }
            assertThat(pool.hits()).isEqualTo(4);
            assertThat(pool.misses()).isZero();
        }
    }

    @Test
    void neverHandsOutTheSamePairTwiceUnderConcurrentUse() throws Exception {
        try (EphemeralKeyPool pool = EphemeralKeyPool.start(16, new SecureRandom())) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < 250; i++) {
                        keys.add(HexFormat.of().formatHex(pool.get().publicKey()));
                    }
                    return keys;
                }));
            }
            Set<String> seen = new HashSet<>();
            for (Future<List<String>> result : results) {
                for (String key : result.get()) {
                    assertThat(seen.add(key)).as("pair handed out twice").isTrue();
                }
            }
            threads.shutdown();
            assertThat(seen).hasSize(1000);
            assertThat(pool.hits() + pool.misses()).isEqualTo(1000);
        }
    }

    @Test
    void anEmptyPoolGeneratesInlineInsteadOfBlocking() {
        EphemeralKeyPool pool = EphemeralKeyPool.start(1, new SecureRandom());
        pool.close();

        X25519KeyPair pair = pool.get();

        assertThat(pair.isDestroyed()).isFalse();
        assertThat(pair.publicKey()).hasSize(32);
        assertThat(pool.misses()).isEqualTo(1);
    }

    @Test
    void closeStopsTheRefillAndWipesEveryWaitingPair() throws InterruptedException {
        EphemeralKeyPool pool = EphemeralKeyPool.start(4, new SecureRandom());
        awaitAvailable(pool, 4);

        pool.close();

        assertThat(pool.available()).isZero();
        Thread.sleep(150);
        assertThat(pool.available()).as("nothing refilled after close").isZero();
        assertThat(pool.refillThread().isAlive()).isFalse();
    }

    @Test
    void aPairTakenFromThePoolAgreesLikeAFreshOne() throws InterruptedException {
        try (EphemeralKeyPool pool = EphemeralKeyPool.start(2, new SecureRandom())) {
            awaitAvailable(pool, 2);
            X25519KeyPair alice = pool.get();
            X25519KeyPair bob = X25519KeyPair.generate(new SecureRandom());
            assertThat(alice.agree(bob.publicKey())).isEqualTo(bob.agree(alice.publicKey()));
        }
    }

    @Test
    void refusesAnEmptyCapacity() {
        assertThatThrownBy(() -> EphemeralKeyPool.start(0, new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitAvailable(EphemeralKeyPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.available() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.available()).isEqualTo(count);
    }
}
