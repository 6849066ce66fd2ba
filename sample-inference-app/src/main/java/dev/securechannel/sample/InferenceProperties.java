package dev.securechannel.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the sample runs its model ({@code sample.inference.*}). */
@ConfigurationProperties("sample.inference")
public class InferenceProperties {

    /**
     * Threads running the model. One suits a small CPU: ONNX Runtime already spreads one
     * inference over the cores, so more threads mostly make requests compete for them.
     */
    private int threads = 1;

    /**
     * Requests (across all sessions and REST calls) that may wait for a model thread; beyond
     * that a request is answered at once with "busy" (Error frame or HTTP 503).
     */
    private int queueCapacity = 256;

    /**
     * Requests one secure-channel session may have waiting; a client that sends more without
     * reading replies gets an Error frame and its session is shut down.
     */
    private int maxQueuedPerSession = 32;

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public int getMaxQueuedPerSession() {
        return maxQueuedPerSession;
    }

    public void setMaxQueuedPerSession(int maxQueuedPerSession) {
        this.maxQueuedPerSession = maxQueuedPerSession;
    }
}
