package dev.securechannel.bench.endpoint;

/**
 * The far side of a benchmark connection: one daemon thread looping over an endpoint until the
 * endpoint is closed. {@link EchoPeer} and {@link BurstDrain} differ only in the loop.
 */
abstract class PeerThread implements AutoCloseable {

    final MessageEndpoint endpoint;
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    PeerThread(MessageEndpoint endpoint, String name) {
        this.endpoint = endpoint;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread; subclasses call it from their factory, once constructed. */
    final void startThread() {
        thread.start();
    }

    /** Receives (and answers or counts) until the endpoint fails or is closed. */
    abstract void loop() throws Exception;

    /** Called on the thread after {@link #loop} ended by a failure other than {@link #close()}. */
    void failed() {
    }

    private void run() {
        try {
            loop();
        } catch (Throwable e) {
            if (!closing) {
                failure = e;
                failed();
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
