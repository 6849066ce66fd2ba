package dev.securechannel.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SEV-SNP fixtures of the repository's {@code testdata} folder, which Maven passes as the
 * system property {@code securechannel.testdata.dir}, and the clocks they were checked at.
 */
final class Fixtures {

    /** Every CRL is current and every VCEK valid at this instant. */
    static final String CLOCK = "2026-01-01T00:00:00Z";
    /** The VLEK of {@code trustee-vlek-milan-v3} expired on 2025-12-10. */
    static final String VLEK_CLOCK = "2025-06-01T00:00:00Z";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Fixtures() {
    }

    /** The {@code testdata} folder; fails loudly if it is missing, since every test here needs it. */
    static Path testdataRoot() {
        String configured = System.getProperty("securechannel.testdata.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "testdata");
        if (!Files.isDirectory(root.resolve("fixtures"))) {
            throw new IllegalStateException("testdata folder with fixtures/ not found at " + root.toAbsolutePath());
        }
        return root.normalize();
    }

    /** A file under {@code fixtures/sev-snp}, as an absolute path string for the command line. */
    static String file(String relative) {
        Path path = testdataRoot().resolve("fixtures/sev-snp").resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("fixture missing: " + path);
        }
        return path.toAbsolutePath().toString();
    }

    /** The cases of {@code cases.json}. */
    static List<JsonNode> cases() {
        try {
            JsonNode root = MAPPER.readTree(Files.readString(testdataRoot().resolve("fixtures/sev-snp/cases.json")));
            List<JsonNode> cases = new ArrayList<>();
            root.get("cases").forEach(cases::add);
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case with this id. */
    static JsonNode fixtureCase(String id) {
        return cases().stream().filter(c -> c.get("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + id));
    }

    /** The evidence option and file of a case: {@code --report} or {@code --hcl-report}. */
    static List<String> evidenceArguments(JsonNode fixtureCase) {
        return fixtureCase.has("hclFile")
                ? List.of("--hcl-report", file(fixtureCase.get("hclFile").asString()))
                : List.of("--report", file(fixtureCase.get("reportFile").asString()));
    }

    /**
     * {@code --cert} for the case's VEK file, intermediate and ARK. Bundles overlap on purpose
     * (a THIM VCEK file already carries ASK and ARK); the command drops exact duplicates.
     */
    static List<String> certificateArguments(JsonNode fixtureCase) {
        List<String> arguments = new ArrayList<>();
        for (String field : List.of("vekFile", "askFile", "arkFile")) {
            // "askFile" may carry a remark after the path ("... (first PEM block = ASVK)").
            String relative = fixtureCase.get(field).asString().split(" ", 2)[0];
            arguments.add("--cert");
            arguments.add(file(relative));
        }
        return arguments;
    }

    /** The clock a case is verified at. */
    static String clockFor(JsonNode fixtureCase) {
        return fixtureCase.get("id").asString().equals("trustee-vlek-milan-v3") ? VLEK_CLOCK : CLOCK;
    }

    /** Evidence, certificates and clock of a case, followed by {@code extra}. */
    static String[] verifyArguments(JsonNode fixtureCase, String... extra) {
        List<String> arguments = new ArrayList<>();
        arguments.add("verify-sev-snp");
        arguments.addAll(evidenceArguments(fixtureCase));
        arguments.addAll(certificateArguments(fixtureCase));
        arguments.add("--at");
        arguments.add(clockFor(fixtureCase));
        arguments.addAll(List.of(extra));
        return arguments.toArray(String[]::new);
    }

    /** {@link #verifyArguments(JsonNode, String...)} for the case with this id. */
    static String[] verifyArguments(String caseId, String... extra) {
        return verifyArguments(fixtureCase(caseId), extra);
    }
}
