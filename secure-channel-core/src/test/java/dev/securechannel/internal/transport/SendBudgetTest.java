package dev.securechannel.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.connection.SendLimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendBudgetTest {

    @Test
    void framesMayFillTheBudgetExactly() throws Exception {
        SendBudget budget = new SendBudget(100);

        budget.reserve(60);
        budget.reserve(40);

        assertThat(budget.queuedBytes()).isEqualTo(100);
    }

    @Test
    void aFrameThatWouldPassTheLimitIsRefusedWithTheTypedExceptionAndNotCounted() throws Exception {
        SendBudget budget = new SendBudget(100);
        budget.reserve(60);

        assertThatThrownBy(() -> budget.reserve(41))
                .isInstanceOf(SendLimitExceededException.class)
                .hasMessage("send queue over 100 bytes");
        assertThat(budget.queuedBytes()).isEqualTo(60);
    }

    @Test
    void aFrameLargerThanTheWholeBudgetIsRefusedEvenWhenNothingIsQueued() {
        SendBudget budget = new SendBudget(100);

        assertThatThrownBy(() -> budget.reserve(101)).isInstanceOf(SendLimitExceededException.class);
        assertThat(budget.queuedBytes()).isZero();
    }

    @Test
    void releasedBytesMakeRoomAgain() throws Exception {
        SendBudget budget = new SendBudget(100);
        budget.reserve(100);

        budget.release(30);
        budget.reserve(30);

        assertThat(budget.queuedBytes()).isEqualTo(100);
        budget.release(100);
        assertThat(budget.queuedBytes()).isZero();
    }

    /** Of senders racing for the last room, exactly one gets it, round after round. */
    @Test
    void ofSendersRacingForTheLastRoomExactlyOneGetsIt() throws Exception {
        int senders = 4;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        try {
            for (int round = 0; round < 500; round++) {
                SendBudget budget = new SendBudget(10);
                budget.reserve(9);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int sender = 0; sender < senders; sender++) {
                    attempts.add(threads.submit(afterStart(start, () -> {
                        try {
                            budget.reserve(1);
                            return true;
                        } catch (SendLimitExceededException refused) {
                            return false;
                        }
                    })));
                }
                start.countDown();
                int granted = 0;
                for (Future<Boolean> attempt : attempts) {
                    granted += attempt.get() ? 1 : 0;
                }
                assertThat(granted).as("round %d", round).isEqualTo(1);
                assertThat(budget.queuedBytes()).isEqualTo(10);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Senders reserving and a writer releasing at once: the queue never shows more than the
     * limit, every frame is either accepted or refused, and once the writer has released every
     * accepted frame the queue is empty.
     */
    @Test
    void concurrentReservesAndReleasesNeverOverfillItAndBalanceOut() throws Exception {
        int senders = 4;
        int framesPerSender = 20_000;
        int frameBytes = 7;
        long limit = 10L * frameBytes;
        SendBudget budget = new SendBudget(limit);
        BlockingQueue<Integer> accepted = new LinkedBlockingQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(senders + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch sendersDone = new CountDownLatch(senders);
            List<Future<Integer>> refusals = new ArrayList<>();
            for (int sender = 0; sender < senders; sender++) {
                refusals.add(threads.submit(afterStart(start, () -> {
                    int refused = 0;
                    try {
                        for (int i = 0; i < framesPerSender; i++) {
                            try {
                                budget.reserve(frameBytes);
                                accepted.add(frameBytes);
                            } catch (SendLimitExceededException e) {
                                refused++;
                            }
                            assertThat(budget.queuedBytes()).isBetween(0L, limit);
                        }
                    } finally {
                        sendersDone.countDown();
                    }
                    return refused;
                })));
            }
            Future<Integer> writer = threads.submit(afterStart(start, () -> {
                int written = 0;
                while (sendersDone.getCount() > 0 || !accepted.isEmpty()) {
                    Integer frame = accepted.poll(10, TimeUnit.MILLISECONDS);
                    if (frame != null) {
                        budget.release(frame);
                        written++;
                    }
                }
                return written;
            }));
            start.countDown();

            int refused = 0;
            for (Future<Integer> sender : refusals) {
                refused += sender.get();
            }
            int written = writer.get();
            assertThat(written + refused).isEqualTo(senders * framesPerSender);
            assertThat(written).isPositive();
            assertThat(budget.queuedBytes()).isZero();
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static <T> Callable<T> afterStart(CountDownLatch start, Callable<T> work) {
        return () -> {
            start.await();
            return work.call();
        };
    }
}
