package dev.securechannel.sample;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's requests, run one after another on the shared inference executor, so replies
 * leave in the order the requests came (the protocol has no request ids) however many model
 * threads there are.
 *
 * <p>A lane occupies at most one place in the executor's queue at a time, so sessions take
 * turns instead of one busy session filling the queue. Thread-safe.
 */
final class RequestLane {

    /** What {@link #offer} did with a job. */
    enum Admission {
        /** Queued; it will run after the session's earlier jobs. */
        QUEUED,
        /** Not queued: the session already has its maximum of jobs waiting. */
        SESSION_FULL,
        /** Not queued: the shared executor's queue is full (nothing of this session was waiting). */
        EXECUTOR_FULL
    }

    private static final Logger LOG = LoggerFactory.getLogger(RequestLane.class);

    private final Executor executor;
    private final int maxQueued;
    private final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
    private boolean scheduled;

    RequestLane(Executor executor, int maxQueued) {
        this.executor = executor;
        this.maxQueued = maxQueued;
    }

    /** Queues {@code job} behind this session's earlier ones. */
    synchronized Admission offer(Runnable job) {
        if (jobs.size() >= maxQueued) {
            return Admission.SESSION_FULL;
        }
        jobs.add(job);
        if (scheduled) {
            return Admission.QUEUED;
        }
        scheduled = true;
        try {
            executor.execute(this::runNext);
        } catch (RejectedExecutionException full) {
            // The lane was idle, so this job is the only one queued.
            jobs.clear();
            scheduled = false;
            return Admission.EXECUTOR_FULL;
        }
        return Admission.QUEUED;
    }

    private void runNext() {
        Runnable job;
        while (true) {
            synchronized (this) {
                job = jobs.poll();
                if (job == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                job.run();
            } catch (RuntimeException e) {
                // A failed job must not stall the session's later ones.
                LOG.error("An inference job failed", e);
            }
            synchronized (this) {
                if (jobs.isEmpty()) {
                    scheduled = false;
                    return;
                }
            }
            try {
                // Back to the end of the executor's queue, so other sessions get their turn.
                executor.execute(this::runNext);
                return;
            } catch (RejectedExecutionException full) {
                // The executor is saturated: keep this thread on the session's own backlog.
            }
        }
    }
}
