package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A session's jobs run in order, one at a time, on a shared executor, within their bounds. */
@Timeout(30)
class RequestLaneTest {

    @Test
    void jobsRunInOfferOrderOneAtATimeEvenOnManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            RequestLane lane = new RequestLane(pool, 1000);
            List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
            int[] running = {0};
            boolean[] overlapped = {false};
            CountDownLatch done = new CountDownLatch(500);
            for (int i = 0; i < 500; i++) {
                int job = i;
                assertThat(lane.offer(() -> {
                    synchronized (running) {
                        overlapped[0] |= ++running[0] > 1;
                    }
                    ran.add(job);
                    synchronized (running) {
                        running[0]--;
                    }
                    done.countDown();
                })).isEqualTo(RequestLane.Admission.QUEUED);
            }

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).isSorted().hasSize(500);
            assertThat(overlapped[0]).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSessionWithItsMaximumWaitingIsRefused() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            RequestLane lane = new RequestLane(pool, 2);
            CountDownLatch started = new CountDownLatch(1);
            lane.offer(() -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lane.offer(() -> { })).isEqualTo(RequestLane.Admission.QUEUED);
            assertThat(lane.offer(() -> { })).isEqualTo(RequestLane.Admission.QUEUED);

            assertThat(lane.offer(() -> { })).isEqualTo(RequestLane.Admission.SESSION_FULL);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFullExecutorRefusesAnIdleSessionAndTheSessionRecovers() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(() -> await(release));
            pool.execute(() -> { });
            RequestLane lane = new RequestLane(pool, 8);

            assertThat(lane.offer(() -> { })).isEqualTo(RequestLane.Admission.EXECUTOR_FULL);

            release.countDown();
            CountDownLatch ran = new CountDownLatch(1);
            awaitCondition(() -> pool.getQueue().isEmpty() && pool.getActiveCount() == 0);
            assertThat(lane.offer(ran::countDown)).isEqualTo(RequestLane.Admission.QUEUED);
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingJobDoesNotStopTheJobsAfterIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            RequestLane lane = new RequestLane(pool, 8);
            CountDownLatch after = new CountDownLatch(1);
            lane.offer(() -> {
                throw new IllegalStateException("expected by the test");
            });
            lane.offer(after::countDown);

            assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
