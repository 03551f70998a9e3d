package dev.socketserver.samples;

/**
 * A problem with what the user asked for, told in one line: the launcher prints
 * {@code samples: <message>}, then the usage, and exits with status 2. Never carries a stack trace
 * to the user.
 */
final class UsageException extends Exception {

    /**
     * A malformed or unusable command line.
     *
     * @param message the one-line problem
     */
    UsageException(String message) {
        super(message, null, false, false);
    }
}
