package dev.securechannel.bench.soak;

import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The server a soak runs against: the starter's endpoint at {@code /secure-channel} with a
 * handler that echoes data and tensors, and checks that each session's data arrive in the
 * order their sender numbered them (the first eight bytes of every data payload), each once.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SoakServerApplication {

    /** The session attribute holding the sequence number the next data payload must carry. */
    private static final String NEXT_SEQUENCE = "soak.next-sequence";

    /** What the server's handler counted. */
    static final class Tally {
        /** Data payloads that arrived out of order, twice, or without a sequence number: must stay 0. */
        final AtomicLong orderViolations = new AtomicLong();
        /** Messages the handler received (data, tensors, heartbeats). */
        final AtomicLong messagesReceived = new AtomicLong();
    }

    @Bean
    Tally soakTally() {
        return new Tally();
    }

    @Bean
    SecureChannelHandler soakHandler(Tally tally) {
        return new SecureChannelHandler() {
            @Override
            public void onOpen(SecureSession session) {
                session.attributes().put(NEXT_SEQUENCE, 0L);
            }

            @Override
            public void onMessage(SecureSession session, Message message) throws Exception {
                tally.messagesReceived.incrementAndGet();
                if (message instanceof Message.Data data && !inSequence(session, data.payload())) {
                    tally.orderViolations.incrementAndGet();
                }
                if (message instanceof Message.Data data) {
                    session.send(data.payload());
                } else if (message instanceof Message.TensorMessage tensor) {
                    session.sendTensor(tensor.tensor());
                }
            }

            @Override
            public void onClose(SecureSession session, CloseReason reason) {
                session.attributes().remove(NEXT_SEQUENCE);
            }
        };
    }

    /** Whether {@code payload} carries the session's next sequence number; moves the expectation on either way. */
    private static boolean inSequence(SecureSession session, byte[] payload) {
        long expected = (Long) session.attributes().getOrDefault(NEXT_SEQUENCE, 0L);
        session.attributes().put(NEXT_SEQUENCE, expected + 1);
        return payload.length >= Long.BYTES && ByteBuffer.wrap(payload).getLong() == expected;
    }
}
