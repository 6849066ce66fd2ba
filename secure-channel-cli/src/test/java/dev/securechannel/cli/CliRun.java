package dev.securechannel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One in-process run of the command line with captured stdout and stderr.
 *
 * @param exitCode the code {@code main} would exit with
 * @param stdout   everything printed on stdout
 * @param stderr   everything printed on stderr
 */
record CliRun(int exitCode, String stdout, String stderr) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Runs {@code secure-channel} with these arguments. */
    static CliRun run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SecureChannelCli.execute(new PrintWriter(out), new PrintWriter(err), arguments);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Stdout parsed as the one JSON object it must be. */
    JsonNode json() {
        return MAPPER.readTree(stdout);
    }

    /** The verdict's reason code, or null when accepted. */
    String reasonCode() {
        JsonNode reason = json().get("reason");
        return reason.isNull() ? null : reason.get("code").asString();
    }
}
