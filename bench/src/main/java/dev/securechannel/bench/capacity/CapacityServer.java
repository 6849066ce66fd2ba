package dev.securechannel.bench.capacity;

import com.sun.management.OperatingSystemMXBean;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.bench.GenoaFixture;
import dev.securechannel.bench.soak.SoakServerApplication;
import dev.securechannel.bench.websocket.ServerStack;
import dev.securechannel.internal.connection.ConnectionRegistry;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server a capacity run measures, in its own JVM so that its heap holds nothing of the
 * clients': the soak's echo server on one stack, with mock attestation or with every peer's
 * evidence verified as a real SEV-SNP report ({@link GenoaFixture}). It prints
 * {@code port=N}, then answers each {@code sample} line on standard input with one line of
 * {@code name=value} figures (heap after a full collection, direct memory, threads, sessions,
 * the process's CPU time) and stops at {@code quit} or at the end of its input.
 *
 * <p>Arguments: {@code stack max-sessions max-pending-handshakes mock|sev-snp}.
 */
public final class CapacityServer {

    private CapacityServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerStack stack = ServerStack.of(args[0]);
        List<String> properties = List.of("server.port=0", "spring.main.banner-mode=off", "logging.level.root=error",
                "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                "secure-channel.server.idle-timeout=0", "secure-channel.server.max-sessions=" + args[1],
                "secure-channel.server.max-pending-handshakes=" + args[2]);
        Class<?>[] sources = "sev-snp".equals(args[3])
                ? new Class<?>[] {SoakServerApplication.class, SevSnpVerification.class}
                : new Class<?>[] {SoakServerApplication.class};
        try (ConfigurableApplicationContext server = stack.start(properties, sources)) {
            ConnectionRegistry registry = server.getBean(ConnectionRegistry.class);
            System.out.println("port=" + ((WebServerApplicationContext) server).getWebServer().getPort());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = commands.readLine(); command != null && !"quit".equals(command); command = commands.readLine()) {
                System.out.println(sample(registry));
            }
        }
    }

    private static String sample(ConnectionRegistry registry) {
        ManagementFactory.getMemoryMXBean().gc();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> "direct".equals(pool.getName())).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "heap=%d direct=%d netty_direct=%d threads=%d sessions=%d registry=%d pending=%d cpu_ns=%d",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), direct,
                Math.max(0, PlatformDependent.usedDirectMemory()), ManagementFactory.getThreadMXBean().getThreadCount(),
                registry.openSessions(), registry.connections().size(), registry.pendingHandshakes(), os.getProcessCpuTime());
    }

    /** Every peer's evidence verified as the Genoa report, in place of the mock verifier. */
    @Configuration(proxyBeanMethods = false)
    static class SevSnpVerification {

        @Bean
        AttestationVerifier genoaVerifier() {
            return GenoaFixture.load().verifyingForEveryPeer();
        }
    }
}
