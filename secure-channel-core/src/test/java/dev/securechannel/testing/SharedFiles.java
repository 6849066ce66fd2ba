package dev.securechannel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Locates the project's read-only {@code ../shared} folder (vectors and fixtures) and reads
 * JSON from it. Maven passes the folder as the system property {@code securechannel.shared.dir}.
 */
public final class SharedFiles {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private SharedFiles() {
    }

    /** The shared folder; fails loudly when it is missing, since every vector test needs it. */
    public static Path root() {
        String configured = System.getProperty("securechannel.shared.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(root)) {
            root = Path.of("..", "shared");
        }
        if (!Files.isDirectory(root.resolve("vectors"))) {
            throw new IllegalStateException("shared folder with vectors/ not found at " + root.toAbsolutePath());
        }
        return root.normalize();
    }

    /** A file under the shared folder. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** Parses a JSON file under the shared folder. */
    public static JsonNode json(String relative) {
        try {
            return MAPPER.readTree(Files.readString(path(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes lowercase or uppercase hex. */
    public static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
