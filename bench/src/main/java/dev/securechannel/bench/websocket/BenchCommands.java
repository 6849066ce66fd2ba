package dev.securechannel.bench.websocket;

import java.nio.ByteBuffer;

/**
 * The tiny command language the benchmark servers speak, identical for the plain and the
 * secure endpoints so that the only difference measured is the secure channel itself. The
 * first byte of each message says what to do with it.
 */
final class BenchCommands {

    /** Send the message back. */
    static final byte ECHO = 1;
    /** Count the message and send nothing (one-way upload). */
    static final byte SINK = 2;
    /** Reply with one byte, after everything before it was handled (end of an upload burst). */
    static final byte SYNC = 3;
    /** Send back {@code count} messages of {@code size} bytes (one-way download); payload: u8, i32 count, i32 size. */
    static final byte DOWNLOAD = 4;

    private BenchCommands() {
    }

    static byte[] download(int count, int size) {
        return ByteBuffer.allocate(9).put(DOWNLOAD).putInt(count).putInt(size).array();
    }

    /** What a server answers to one message: nothing, one reply, or {@code count} copies of a buffer. */
    interface Replies {
        void send(byte[] message) throws Exception;
    }

    /** Handles one received message; the same logic serves every stack. */
    static void handle(byte[] message, Replies replies) throws Exception {
        switch (message[0]) {
            case ECHO -> replies.send(message);
            case SYNC -> replies.send(new byte[] {SYNC});
            case DOWNLOAD -> {
                ByteBuffer command = ByteBuffer.wrap(message, 1, 8);
                int count = command.getInt();
                byte[] payload = new byte[command.getInt()];
                payload[0] = SINK;
                for (int i = 0; i < count; i++) {
                    replies.send(payload);
                }
            }
            default -> {
                // SINK: counted by arriving.
            }
        }
    }
}
