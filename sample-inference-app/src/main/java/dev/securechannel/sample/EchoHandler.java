package dev.securechannel.sample;

import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.connection.SecureConnection;
import dev.securechannel.session.Message;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * Answers every Data message with the same bytes and every tensor with the same tensor.
 * (The inference handler replaces this once the model is wired in.)
 */
@Component
public class EchoHandler implements SecureChannelHandler {

    @Override
    public void onMessage(SecureConnection connection, Message message) throws IOException {
        if (message instanceof Message.Data data) {
            connection.send(data.payload());
        } else if (message instanceof Message.TensorMessage tensor) {
            connection.sendTensor(tensor.tensor());
        }
    }
}
