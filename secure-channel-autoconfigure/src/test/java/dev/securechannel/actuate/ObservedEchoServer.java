package dev.securechannel.actuate;

import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.session.Message;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An echo server with every auto-configuration, actuator, Micrometer and Prometheus
 * included; no component scan, so nothing else from the test sources joins it.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ObservedEchoServer {

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
