package dev.securechannel.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.transport.TcpTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Talks to the Rust reference crate (confidential-ml-transport 0.6.1) over TCP, both ways, with
 * this side's default configuration, which offers AES-256-GCM and key update: the crate ignores
 * hello flags, so both must settle on base version 4 byte for byte (CONFORMANCE S3, R12).
 *
 * <p>The crate is not part of this repository: these tests run only when the system property
 * {@code securechannel.referenceHarness} names a built harness binary (the small program on the
 * crate's public API described in README.md, "The reference crate, same machine, same run"),
 * for example {@code ./mvnw -pl secure-channel-core test -Dtest=ReferenceCrateInteropTest
 * -Dsecurechannel.referenceHarness=/path/to/rust-interop}.
 */
@EnabledIfSystemProperty(named = "securechannel.referenceHarness", matches = ".+")
@Timeout(60)
class ReferenceCrateInteropTest {

    private static final String HARNESS = System.getProperty("securechannel.referenceHarness", "");

    @Test
    void ourClientWithExtensionsOfferedTalksBaseVersionFourToTheCratesServer() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder(HARNESS, "server", String.valueOf(port), "--once").redirectErrorStream(true).start();
        try {
            SecureChannel channel = connectWhenListening(port);
            try (channel) {
                assertThat(BlockingSecureChannel.recordSession(channel).handshake().extensions()).isEqualTo(Extensions.NONE);
                for (int size : new int[] {1536, 4096, 393216}) {
                    byte[] payload = harnessPayload(size);
                    channel.send(payload);
                    assertThat(((Message.Data) channel.receive()).payload()).isEqualTo(payload);
                }
                channel.shutdown();
            }
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(output(server)).anyMatch(line -> line.contains("session ended cleanly"));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void theCratesClientGetsBaseVersionFourFromOurServerWithExtensionsEnabled() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process client = new ProcessBuilder(HARNESS, "client", "127.0.0.1:" + listener.getLocalPort())
                    .redirectErrorStream(true).start();
            try {
                try (SecureChannel channel = SecureChannel.accept(new TcpTransport(listener.accept()), SessionConfig.insecureDevelopment())) {
                    assertThat(BlockingSecureChannel.recordSession(channel).handshake().extensions()).isEqualTo(Extensions.NONE);
                    while (true) {
                        Message message = channel.receive();
                        if (message instanceof Message.Data data) {
                            channel.send(data.payload());
                        } else if (message instanceof Message.TensorMessage tensor) {
                            channel.sendTensor(tensor.tensor());
                        } else if (message instanceof Message.Shutdown) {
                            break;
                        }
                    }
                }
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(output(client)).contains("[rust-client] PASS");
                assertThat(client.exitValue()).isZero();
            } finally {
                client.destroyForcibly();
            }
        }
    }

    private static SecureChannel connectWhenListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return SecureChannel.connect(TcpTransport.connect("127.0.0.1", port, Duration.ofSeconds(5)), SessionConfig.insecureDevelopment());
            } catch (java.net.ConnectException notYetListening) {
                if (System.nanoTime() > deadline) {
                    throw notYetListening;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The harness's payload: byte i is (i * 31 + size) mod 256. */
    private static byte[] harnessPayload(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ((i * 31 + size) % 256);
        }
        return payload;
    }

    private static List<String> output(Process process) throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }
}
