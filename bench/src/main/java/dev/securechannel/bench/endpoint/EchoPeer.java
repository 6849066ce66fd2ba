package dev.securechannel.bench.endpoint;

/**
 * A thread that sends every message it receives straight back: the server side of a round
 * trip. It stops when its endpoint is closed.
 */
public final class EchoPeer implements AutoCloseable {

    private final MessageEndpoint endpoint;
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    private EchoPeer(MessageEndpoint endpoint, String name) {
        this.endpoint = endpoint;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts echoing on a new daemon thread. */
    public static EchoPeer start(MessageEndpoint endpoint, String name) {
        EchoPeer peer = new EchoPeer(endpoint, name);
        peer.thread.start();
        return peer;
    }

    private void run() {
        try {
            while (true) {
                endpoint.send(endpoint.receive());
            }
        } catch (Throwable e) {
            if (!closing) {
                failure = e;
            }
        }
    }

    /** What ended the loop other than {@link #close()}, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Closes the endpoint, which ends the loop, and waits for the thread. */
    @Override
    public void close() {
        closing = true;
        endpoint.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the thread is a daemon; leave it and keep the interrupt
        }
    }
}
