package dev.socketserver.samples;

import dev.socketserver.admin.AdminGateway;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The admin gateway beside the launcher's servers ({@code samples echo --admin}, {@code samples demo}):
 * the same {@link AdminGateway} an application starts, over the JVM's default registry, which every
 * server joins when it is activated. See {@code docs/admin.md} for its routes.
 *
 * <p>The only class of the samples that names a type of {@code dev.socketserver.admin}, which the
 * samples module {@code requires static}: nothing else loads it, so the samples that do not start the
 * gateway run without Javalin, Jackson, Micrometer or Kotlin on the module path. Callers check
 * {@link AdminModule#require} before they touch this class.
 */
final class AdminSide {

    /** The environment variable a gateway takes its token from when none is given. */
    static final String TOKEN_ENV = AdminGateway.TOKEN_ENV;

    private final AdminGateway gateway;

    private AdminSide(AdminGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Starts a gateway. A generated token is printed once to standard error by the gateway itself.
     *
     * @param where {@code --admin HOST:PORT}; port 0 picks a free port
     * @param token {@code --admin-token}, or {@code null} for {@code $SOCKETSERVER_ADMIN_TOKEN} or a generated one
     * @return the running gateway; the caller stops it
     * @throws UsageException for a non-loopback address without a token, or a malformed token
     * @throws IOException if the gateway cannot start, e.g. its port is taken
     */
    static AdminSide start(InetSocketAddress where, String token) throws UsageException, IOException {
        SampleLogging.install(); // before the gateway's first class starts SLF4J
        String env = System.getenv(TOKEN_ENV);
        if (!where.getAddress().isLoopbackAddress() && token == null && (env == null || env.isBlank())) {
            throw new UsageException("--admin " + Serving.format(where) + " is not a loopback address: give --admin-token"
                    + " TOKEN (or set " + TOKEN_ENV + ") to open the admin gateway there");
        }
        AdminGateway.Builder builder = AdminGateway.builder().host(where.getAddress().getHostAddress()).port(where.getPort());
        try {
            if (token != null) {
                builder.token(token);
            }
            return new AdminSide(builder.start());
        } catch (IllegalArgumentException | IllegalStateException e) { // a bad token, from the option or the variable
            throw new UsageException(e.getMessage().replace("from the builder", "from --admin-token"));
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IOException("cannot start the admin gateway on " + Serving.format(where) + ": " + cause.getMessage(), e);
        }
    }

    /**
     * Returns the gateway's base URL without the final slash, as the launcher prints it.
     *
     * @return e.g. {@code http://127.0.0.1:8081}
     */
    String url() {
        return gateway.uri().toString().replaceFirst("/$", "");
    }

    /**
     * Returns the bearer token the gateway checks.
     *
     * @return the token: given, from {@link #TOKEN_ENV}, or generated
     */
    String token() {
        return gateway.token();
    }

    /** Turns the gateway's {@code /health} to 503 for good: the launcher is draining on SIGTERM. */
    void markDraining() {
        gateway.markDraining();
    }

    /** Stops the gateway; the servers are left as they are. Idempotent. */
    void stop() {
        gateway.stop();
    }
}
