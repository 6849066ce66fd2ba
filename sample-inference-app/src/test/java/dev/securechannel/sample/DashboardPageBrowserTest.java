package dev.securechannel.sample;

import static dev.securechannel.sample.EmbeddingClients.embed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.securechannel.client.ClientSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The metrics page in real headless Chromium: after secure-channel traffic, every chart is drawn
 * with data, the screenshot ({@code target/dashboard.png}) is not blank, and the numbers shown
 * are the endpoint's. The checks run in {@code src/test/browser/dashboard-check.js}
 * (playwright-core driving Debian's {@code /usr/bin/chromium}).
 *
 * <p>Skipped when Chromium, Node or the Node modules are missing, unless the system property
 * {@value #REQUIRED_PROPERTY} is {@code required} (as in CI), which makes that a failure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(180)
class DashboardPageBrowserTest {

    static final String REQUIRED_PROPERTY = "securechannel.browserTests";

    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final long SCRIPT_TIMEOUT_SECONDS = 120;

    @LocalServerPort
    int port;

    @Test
    void pageChartsTheEndpointsLiveNumbers() throws Exception {
        // Checked here rather than in @BeforeAll so that a skip is reported as one (the shared
        // application context is usually running already, so this costs nothing).
        requireBrowserTooling();
        try (EmbeddingClients clients = new EmbeddingClients(port)) {
            for (int s = 0; s < 3; s++) {
                try (ClientSession session = clients.connect()) {
                    embed(session, "Session " + s + " asks for one embedding.");
                    embed(session, "And then for two:\nthe second line.");
                }
            }
            // The page must read a settled state to compare its numbers with the endpoint's.
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.get("/actuator/securechannel").at("/sessions/active").asLong() == 0);
        }
        Files.deleteIfExists(SCREENSHOT);

        ScriptResult result = runCheckScript();

        assertThat(result.exitCode()).as("dashboard-check.js output:%n%s", result.output()).isZero();
        JsonNode summary = EmbeddingClients.JSON.readTree(result.lastLine());
        assertThat(summary.at("/failures").size()).isZero();
        assertThat(summary.at("/numbers/handshakes.completed/endpoint").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(summary.at("/charts/chart-seal/colouredPixels").asInt()).isPositive();
        assertThat(SCREENSHOT).exists();
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    private ScriptResult runCheckScript() throws IOException, InterruptedException {
        List<String> command = List.of("node", "dashboard-check.js",
                "--url", "http://127.0.0.1:" + port + "/",
                "--screenshot", SCREENSHOT.toAbsolutePath().toString(),
                "--chromium", CHROMIUM.toString(),
                "--timeout-ms", "60000");
        Path log = Files.createTempFile("dashboard-check", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(BROWSER_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("dashboard-check.js did not finish within %d s:%n%s", SCRIPT_TIMEOUT_SECONDS, Files.readString(log));
            }
            return new ScriptResult(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Skips, or fails when browser tests are required, unless Chromium, Node and the Node modules are there. */
    private static void requireBrowserTooling() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        if (!nodeRuns()) {
            missing.add("node on the PATH");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            missing.add(BROWSER_DIR.resolve("node_modules") + " (npm ci in " + BROWSER_DIR + ")");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser test tooling missing: " + String.join(", ", missing);
        if ("required".equals(System.getProperty(REQUIRED_PROPERTY))) {
            fail(message + " (" + REQUIRED_PROPERTY + "=required)");
        }
        Assumptions.abort(message);
    }

    private static boolean nodeRuns() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record ScriptResult(int exitCode, String output) {

        /** The script's JSON summary: its last non-empty line. */
        String lastLine() {
            String[] lines = output.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }
}
