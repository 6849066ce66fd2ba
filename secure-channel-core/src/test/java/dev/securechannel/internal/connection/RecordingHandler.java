package dev.securechannel.internal.connection;

import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.HandshakeFailure;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback as a line, in order, with the messages and handshake failures it was given. */
class RecordingHandler implements SecureChannelHandler {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<HandshakeFailure> failures = new CopyOnWriteArrayList<>();
    volatile Connection.State stateInOnOpen;

    @Override
    public void onOpen(SecureSession session) throws Exception {
        stateInOnOpen = ((Connection) session).state();
        events.add("onOpen");
    }

    @Override
    public void onMessage(SecureSession session, Message message) throws Exception {
        messages.add(message);
        events.add("onMessage " + message.frameType());
    }

    @Override
    public void onClose(SecureSession session, CloseReason reason) {
        events.add("onClose " + reason.tagValue());
    }

    @Override
    public void onHandshakeFailed(HandshakeFailure failure) {
        failures.add(failure);
        events.add("onHandshakeFailed " + failure.reason());
    }
}
