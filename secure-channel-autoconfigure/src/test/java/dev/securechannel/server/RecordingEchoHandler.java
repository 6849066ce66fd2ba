package dev.securechannel.server;

import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The application handler of the WebSocket integration tests: echoes Data and Tensor messages
 * and records every callback, so a test can show exactly what reached the application
 * (opens, delivered messages, and each close with its reason).
 */
public final class RecordingEchoHandler implements SecureChannelHandler {

    private final Set<SecureSession> opened = ConcurrentHashMap.newKeySet();
    private final Map<SecureSession, CloseReason> closed = new ConcurrentHashMap<>();
    private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    /** One message handed to the application. */
    public record Delivery(SecureSession connection, Message message) {

        /** The Data payload as text, or the message's description for other types. */
        public String text() {
            return message instanceof Message.Data data ? data.text() : message.toString();
        }
    }

    @Override
    public void onOpen(SecureSession connection) {
        opened.add(connection);
    }

    @Override
    public void onMessage(SecureSession connection, Message message) throws Exception {
        deliveries.add(new Delivery(connection, message));
        if (message instanceof Message.Data data) {
            connection.send(data.payload());
        } else if (message instanceof Message.TensorMessage tensor) {
            connection.sendTensor(tensor.tensor());
        }
    }

    @Override
    public void onClose(SecureSession connection, CloseReason reason) {
        closed.put(connection, reason);
    }

    /** Forgets everything recorded so far. */
    public void reset() {
        opened.clear();
        closed.clear();
        deliveries.clear();
    }

    /** Sessions opened (handshake completed) since the last reset. */
    public int openCount() {
        return opened.size();
    }

    /** Every message delivered since the last reset, in delivery order per connection. */
    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    /** The Data payloads delivered since the last reset, as text. */
    public List<String> deliveredTexts() {
        return deliveries().stream().map(Delivery::text).toList();
    }

    /** The close reasons reported to the application since the last reset. */
    public List<CloseReason> closeReasons() {
        return new ArrayList<>(closed.values());
    }

    /** Whether every session that opened has also been reported closed. */
    public boolean everyOpenedSessionClosed() {
        return closed.keySet().containsAll(opened);
    }
}
