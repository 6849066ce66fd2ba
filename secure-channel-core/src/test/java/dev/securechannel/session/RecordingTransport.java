package dev.securechannel.session;

import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A passive tap on one end of a transport: every frame sent through it is recorded in send
 * order (a copy, as a relay would see it) and passed on unchanged.
 */
final class RecordingTransport implements FrameTransport {

    private final FrameTransport delegate;
    private final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());

    RecordingTransport(FrameTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        sent.add(frame.clone());
        delegate.send(frame);
    }

    @Override
    public byte[] receive(int maxPayloadLength, Duration timeout) throws IOException {
        return delegate.receive(maxPayloadLength, timeout);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** The frames sent so far, in order. */
    List<byte[]> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }
}
