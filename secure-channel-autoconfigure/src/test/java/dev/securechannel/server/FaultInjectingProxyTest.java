package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.server.FaultInjectingProxy.Direction;
import dev.securechannel.server.FaultInjectingProxy.Fault;
import dev.securechannel.server.FaultInjectingProxy.Plan;
import dev.securechannel.server.FaultInjectingProxy.Side;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What is not obvious in {@link FaultInjectingProxy}: its offsets count from the end of the
 * HTTP head, a cut forwards exactly the bytes asked for, and the proxy tells a side that
 * closed its end from its own cut. Plain sockets on loopback stand for client and server.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultInjectingProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] HEAD = "GET /secure-channel HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void aFlippedBitLandsAtItsOffsetCountedFromTheEndOfTheHttpHead() throws Exception {
        try (ServerSocket server = listen(); FaultInjectingProxy proxy = new FaultInjectingProxy(server.getLocalPort())) {
            proxy.planNext(1, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.flipBit(3, 7)));
            try (Socket client = connect(proxy); Socket accepted = server.accept()) {
                accepted.setSoTimeout((int) WAIT.toMillis());
                client.getOutputStream().write(concat(HEAD, FRAME));

                byte[] expected = FRAME.clone();
                expected[3] ^= (byte) 0x80;
                assertThat(accepted.getInputStream().readNBytes(HEAD.length + FRAME.length)).isEqualTo(concat(HEAD, expected));
                assertThat(proxy.connection(0).forwarded(Direction.CLIENT_TO_SERVER)).isEqualTo(FRAME.length);
            }
        }
    }

    @Test
    void aCutForwardsExactlyTheBytesAskedForThenEndsBothSides() throws Exception {
        try (ServerSocket server = listen(); FaultInjectingProxy proxy = new FaultInjectingProxy(server.getLocalPort())) {
            proxy.planNext(1, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.cutAfter(4)));
            try (Socket client = connect(proxy); Socket accepted = server.accept()) {
                accepted.setSoTimeout((int) WAIT.toMillis());
                client.setSoTimeout((int) WAIT.toMillis());
                client.getOutputStream().write(concat(HEAD, FRAME));

                assertThat(accepted.getInputStream().readAllBytes()).isEqualTo(concat(HEAD, Arrays.copyOf(FRAME, 4)));
                assertThat(client.getInputStream().read()).as("end of stream at the client").isEqualTo(-1);
                // The proxy ended the connection: neither side closed it.
                assertThat(proxy.connection(0).closedBy(Side.CLIENT)).isNotDone();
                assertThat(proxy.connection(0).closedBy(Side.SERVER)).isNotDone();
            }
        }
    }

    @Test
    void aServerClosingItsEndIsSeenByTheProxyAndPassedOnToTheClient() throws Exception {
        try (ServerSocket server = listen(); FaultInjectingProxy proxy = new FaultInjectingProxy(server.getLocalPort())) {
            try (Socket client = connect(proxy)) {
                client.setSoTimeout((int) WAIT.toMillis());
                server.accept().close();

                assertThat(proxy.connection(0).closedBy(Side.SERVER)).succeedsWithin(WAIT);
                assertThat(client.getInputStream().read()).as("end of stream at the client").isEqualTo(-1);
            }
        }
    }

    @Test
    void aBlackHoleAcceptsButNeverReachesTheServer() throws Exception {
        try (ServerSocket server = listen(); FaultInjectingProxy proxy = new FaultInjectingProxy(server.getLocalPort())) {
            proxy.planNext(1, Plan.blackHole());
            server.setSoTimeout(500);
            try (Socket client = connect(proxy)) {
                client.setSoTimeout(500);
                client.getOutputStream().write(HEAD);
                assertThat(readTimesOut(client.getInputStream())).as("no answer").isTrue();
                assertThat(proxy.connectionCount()).isEqualTo(1);
                assertThat(acceptTimesOut(server)).as("no connection to the server").isTrue();
            }
        }
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static Socket connect(FaultInjectingProxy proxy) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static boolean readTimesOut(InputStream in) throws IOException {
        try {
            in.read();
            return false;
        } catch (java.net.SocketTimeoutException expected) {
            return true;
        }
    }

    private static boolean acceptTimesOut(ServerSocket server) throws IOException {
        try {
            server.accept().close();
            return false;
        } catch (java.net.SocketTimeoutException expected) {
            return true;
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
