package dev.securechannel.bench.endpoint;

import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import java.io.IOException;

/** A {@link SecureChannel} as a {@link MessageEndpoint}: every message is one sealed Data frame. */
public final class SecureMessageEndpoint implements MessageEndpoint {

    private final SecureChannel channel;

    /** Wraps an established channel. */
    public SecureMessageEndpoint(SecureChannel channel) {
        this.channel = channel;
    }

    /** The channel underneath. */
    public SecureChannel channel() {
        return channel;
    }

    @Override
    public void send(byte[] message) throws IOException {
        channel.send(message);
    }

    @Override
    public byte[] receive() throws IOException {
        Message message = channel.receive();
        if (message instanceof Message.Data data) {
            return data.payload();
        }
        throw new IOException("expected a Data message, got " + message);
    }

    @Override
    public void close() {
        channel.close();
    }
}
