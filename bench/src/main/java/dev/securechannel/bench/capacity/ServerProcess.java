package dev.securechannel.bench.capacity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link CapacityServer} in a child JVM with its own heap, and the figures it reports on request. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;

    /**
     * @param heap the child's {@code -Xms}/{@code -Xmx}, for example {@code 1g}
     * @param log  where the child's standard error goes
     */
    ServerProcess(String stack, int maxSessions, int maxPendingHandshakes, String verifier, String heap, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CapacityServer.class.getName(), stack,
                Integer.toString(maxSessions), Integer.toString(maxPendingHandshakes), verifier));
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String first = reply("port=");
        if (first == null) {
            process.destroyForcibly();
            throw new IOException("the capacity server did not start; see " + log);
        }
        port = Integer.parseInt(first.substring("port=".length()));
    }

    int port() {
        return port;
    }

    /** The server's figures now, after a full collection in the server. */
    Map<String, Long> sample() throws IOException {
        in.println("sample");
        String line = reply("heap=");
        if (line == null) {
            throw new IOException("the capacity server ended");
        }
        Map<String, Long> figures = new HashMap<>();
        for (String pair : line.split(" ")) {
            int equals = pair.indexOf('=');
            figures.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
        }
        return figures;
    }

    /** The next line that starts with {@code prefix}, skipping what else the server prints (Spring logs to standard output). */
    private String reply(String prefix) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        in.println("quit");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
