package dev.socketserver.impl;

/**
 * The size of the hostile-client tests (issue 14): small by default so {@code ./mvnw verify} stays
 * fast, the full figures with {@code ./mvnw verify -Psoak} (which sets {@code socketserver.soak=true}
 * for the test JVMs). docs/hardening.md lists both.
 */
final class Soak {

    private Soak() {
    }

    /** Whether the soak profile runs. */
    static boolean on() {
        return Boolean.getBoolean("socketserver.soak");
    }

    /**
     * Picks a figure.
     *
     * @param fast the figure for {@code verify}
     * @param soak the figure for {@code -Psoak}
     * @return the one that applies
     */
    static int scaled(int fast, int soak) {
        return on() ? soak : fast;
    }
}
