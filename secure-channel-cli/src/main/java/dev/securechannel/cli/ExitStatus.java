package dev.securechannel.cli;

/**
 * How the command ended, and the process exit code scripts test. A verdict is 0 or 1; anything
 * else means no verdict was reached.
 */
public enum ExitStatus {

    /** The evidence passed every check. */
    ACCEPTED(0),
    /** The evidence was read and rejected, including a report that is not a valid SEV-SNP report. */
    REJECTED(1),
    /** Bad options or an input file that cannot be read (missing, not a certificate, bad hex...). */
    USAGE(2),
    /** A defect in the tool itself; never a verdict on the evidence. */
    INTERNAL_ERROR(3);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }
}
