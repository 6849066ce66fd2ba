package dev.securechannel.bench.endpoint;

/**
 * A thread that sends every message it receives straight back: the server side of a round
 * trip. It stops when its endpoint is closed.
 */
public final class EchoPeer extends PeerThread {

    private EchoPeer(MessageEndpoint endpoint, String name) {
        super(endpoint, name);
    }

    /** Starts echoing on a new daemon thread. */
    public static EchoPeer start(MessageEndpoint endpoint, String name) {
        EchoPeer peer = new EchoPeer(endpoint, name);
        peer.startThread();
        return peer;
    }

    @Override
    void loop() throws Exception {
        while (true) {
            endpoint.send(endpoint.receive());
        }
    }
}
