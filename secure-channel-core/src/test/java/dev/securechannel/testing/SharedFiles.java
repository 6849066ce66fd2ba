package dev.securechannel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Locates the repository's {@code testdata} folder (vectors and fixtures, see
 * {@code testdata/README.md}) and reads JSON from it. Maven passes the folder as the system
 * property {@code securechannel.testdata.dir}; without it (a test started from an IDE in a
 * module folder) the folder is {@code ../testdata}, or {@code testdata} from the repository root.
 */
public final class SharedFiles {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private SharedFiles() {
    }

    /** The test data folder; fails loudly when it is missing, since every vector test needs it. */
    public static Path root() {
        String configured = System.getProperty("securechannel.testdata.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "testdata");
        if (configured == null && !Files.isDirectory(root)) {
            root = Path.of("testdata");
        }
        if (!Files.isDirectory(root.resolve("vectors"))) {
            throw new IllegalStateException("testdata folder with vectors/ not found at " + root.toAbsolutePath());
        }
        return root.normalize();
    }

    /** A file under the test data folder, e.g. {@code vectors/protocol/kat-v4-1.json}. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** Parses a JSON file under the test data folder. */
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
