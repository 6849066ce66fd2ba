package dev.securechannel.server;

import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.session.Message;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A test application whose handler echoes every Data and Tensor message back. */
@SpringBootApplication
public class EchoApplication {

    @Bean
    SecureChannelHandler echoHandler() {
        return (connection, message) -> {
            if (message instanceof Message.Data data) {
                connection.send(data.payload());
            } else if (message instanceof Message.TensorMessage tensor) {
                connection.sendTensor(tensor.tensor());
            }
        };
    }
}
