package dev.socketserver.samples;

/**
 * A problem with what the user asked for, told in one line: the launcher prints
 * {@code samples: <message>} (and the usage, for a malformed command line) and exits with status 2.
 * Never carries a stack trace to the user.
 */
final class UsageException extends Exception {

    private final boolean showUsage;

    /**
     * A malformed command line; the usage follows the message.
     *
     * @param message the one-line problem
     */
    UsageException(String message) {
        this(message, true);
    }

    private UsageException(String message, boolean showUsage) {
        super(message, null, false, false);
        this.showUsage = showUsage;
    }

    /**
     * A well-formed request for something this build does not have yet (the datagram families, the
     * admin gateway); printed without the usage.
     *
     * @param what what was asked for, e.g. {@code "the udp family"}
     * @return the exception
     */
    static UsageException notInThisBuild(String what) {
        return new UsageException(what + " is not available in this build yet", false);
    }

    /**
     * Tells whether the usage text should follow the message.
     *
     * @return {@code true} for a malformed command line
     */
    boolean showUsage() {
        return showUsage;
    }
}
