package dev.securechannel.readme;

import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    @Bean
    SecureChannelHandler inference() {
        return (session, message) -> {
            if (message instanceof Message.Data data) {
                session.send(run(data.payload()));             // any thread may send
            } else if (message instanceof Message.TensorMessage tensor) {
                session.sendTensor(embed(tensor.tensor()));
            }
        };
    }

    private byte[] run(byte[] request) {
        return request;                                        // your model here
    }

    private Tensor embed(Tensor input) {
        return input;                                          // your model here
    }
}
