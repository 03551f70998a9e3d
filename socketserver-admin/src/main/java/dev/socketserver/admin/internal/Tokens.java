package dev.socketserver.admin.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates and validates bearer tokens. */
public final class Tokens {

    /** The environment variable the token is read from when none was given (AdminGateway.TOKEN_ENV). */
    public static final String ENV = "SOCKETSERVER_ADMIN_TOKEN";
    /** Shortest token accepted. */
    public static final int MIN_LENGTH = 16;
    /** Longest token accepted. */
    public static final int MAX_LENGTH = 512;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /**
     * Generates a URL-safe token of 256 random bits (43 characters of base64url).
     *
     * @return the token
     */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks that a token can travel in an HTTP header and is not trivially short.
     *
     * @param token the token
     * @param source where it came from, for the message
     * @return the token
     * @throws IllegalArgumentException if it is too short, too long, or has spaces or control characters
     */
    public static String validate(String token, String source) {
        if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the admin token from " + source + " must be " + MIN_LENGTH + " to "
                    + MAX_LENGTH + " characters long, not " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("the admin token from " + source
                        + " may only contain visible ASCII characters (no spaces)");
            }
        }
        return token;
    }
}
