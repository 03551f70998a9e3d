package dev.socketserver.admin.internal;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>} on every request except {@code GET /health}, the console's
 * static files and {@code /openapi.json} (and {@code /metrics} when the gateway was told to open it). The
 * comparison is constant-time: both sides are hashed with SHA-256 first (so the length does not leak
 * either) and compared with {@link MessageDigest#isEqual}.
 */
public final class BearerAuth {

    /** The only path served without a token. */
    public static final String OPEN_PATH = "/health";

    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);
    private static final String SCHEME = "Bearer ";

    private final byte[] expectedHash;
    private final Set<String> openPaths;

    /**
     * Creates the check.
     *
     * @param token the expected token
     * @param openPaths the paths served without a token, besides {@link #OPEN_PATH}
     */
    public BearerAuth(String token, Set<String> openPaths) {
        this.expectedHash = sha256(token);
        this.openPaths = Set.copyOf(openPaths);
    }

    /**
     * The before-handler: throws a 401 unless the request carries the token or asks for {@link #OPEN_PATH}
     * or one of the other open paths.
     *
     * @param ctx the request
     */
    public void check(Context ctx) {
        if (OPEN_PATH.equals(ctx.path()) || openPaths.contains(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null) {
            reject(ctx, "missing Authorization header; send Authorization: Bearer <token>");
        } else if (!accepts(header)) {
            reject(ctx, "bad bearer token");
        }
    }

    /**
     * Tells whether an {@code Authorization} header value carries the token.
     *
     * @param header the header's value
     * @return true if it is {@code Bearer <token>} with the right token
     */
    boolean accepts(String header) {
        boolean bearer = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        String given = bearer ? header.substring(SCHEME.length()).strip() : "";
        // always hash and compare, so a wrong scheme takes as long as a wrong token
        boolean same = MessageDigest.isEqual(expectedHash, sha256(given));
        return bearer && same;
    }

    private static void reject(Context ctx, String message) {
        if (Audit.audited(ctx)) {
            throw new ApiException(401, "unauthorized", message); // the audit line says it: one line per request
        }
        LOG.warn("rejected {} {} from {}: {}", ctx.method(), Texts.clip(ctx.path()), Audit.caller(ctx), message);
        throw new ApiException(401, "unauthorized", message);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
