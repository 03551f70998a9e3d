package dev.socketserver.admin.internal;

/** Makes caller-supplied text safe to echo in messages and log lines. */
final class Texts {

    private static final int MAX = 80;

    private Texts() {
    }

    /**
     * Replaces control characters and cuts long text, so a caller cannot forge log lines or flood
     * messages.
     *
     * @param s any text, or null
     * @return printable text of at most about 80 characters
     */
    static String clip(String s) {
        return clip(s, MAX);
    }

    /**
     * Like {@link #clip(String)} with another length.
     *
     * @param s any text, or null
     * @param max how many characters to keep
     * @return printable text of at most {@code max} characters plus an ellipsis
     */
    static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > max) {
            b.append("...");
        }
        return b.toString();
    }
}
