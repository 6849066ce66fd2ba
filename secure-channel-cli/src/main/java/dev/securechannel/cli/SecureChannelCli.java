package dev.securechannel.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code secure-channel} command-line tool. Every outcome ends in an exit code and, for
 * errors, one line on stderr, never a stack trace:
 *
 * <ul>
 *   <li>option errors (picocli's parameter exceptions) → {@link ExitStatus#USAGE};</li>
 *   <li>unusable input files or option values ({@link InvalidInputException}) → {@link ExitStatus#USAGE};</li>
 *   <li>anything else, which would be a defect → {@link ExitStatus#INTERNAL_ERROR}.</li>
 * </ul>
 */
@Command(name = "secure-channel",
        mixinStandardHelpOptions = true,
        versionProvider = SecureChannelCli.VersionProvider.class,
        description = "Tools for the secure-channel attestation-bound channel.",
        subcommands = {VerifySevSnpCommand.class, CommandLine.HelpCommand.class})
public final class SecureChannelCli {

    private static final String NAME = "secure-channel";

    /** Runs the tool and exits with its {@link ExitStatus} code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(out, err, args));
    }

    /**
     * Runs the tool with these streams (tests capture them) and returns the exit code; never throws.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            return newCommandLine(out, err).execute(args);
        } catch (Throwable unexpected) {
            // Errors (out of memory...) are not routed through picocli's handlers.
            err.println(NAME + ": internal error: " + oneLine(String.valueOf(unexpected)));
            err.flush();
            return ExitStatus.INTERNAL_ERROR.code();
        }
    }

    /** The configured picocli command line: streams, handlers, case-insensitive product names. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SecureChannelCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // No "@file" argument files: every input is already a file option, and picocli reports an
        // argument file it cannot read (a folder, say) past both handlers below, with a stack trace.
        commandLine.setExpandAtFiles(false);
        // Whatever still escapes the handlers is a defect, never a verdict (picocli's default is 1).
        commandLine.setExitCodeExceptionMapper(exception -> ExitStatus.INTERNAL_ERROR.code());
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + oneLine(exception.getMessage())
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return ExitStatus.USAGE.code();
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            String name = failed.getCommandSpec().qualifiedName();
            if (exception instanceof InvalidInputException) {
                failed.getErr().println(name + ": " + oneLine(exception.getMessage()));
                failed.getErr().flush();
                return ExitStatus.USAGE.code();
            }
            failed.getErr().println(name + ": internal error: " + oneLine(String.valueOf(exception)));
            failed.getErr().flush();
            return ExitStatus.INTERNAL_ERROR.code();
        });
        return commandLine;
    }

    /** Keeps a message on one line, since scripts read stderr line by line; picocli's "Error: " adds nothing after our prefix. */
    private static String oneLine(@Nullable String message) {
        String line = message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.startsWith("Error: ") ? line.substring("Error: ".length()) : line;
    }

    /** The version from the jar manifest; a development build has none. */
    public static final class VersionProvider implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = SecureChannelCli.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (version == null ? "(development build)" : version)};
        }
    }
}
