package dev.socketserver.admin;

import dev.socketserver.ServerRegistry;
import dev.socketserver.admin.internal.ApiException;
import dev.socketserver.admin.internal.Audit;
import dev.socketserver.admin.internal.BearerAuth;
import dev.socketserver.admin.internal.ConsoleRoutes;
import dev.socketserver.admin.internal.ErrorMapping;
import dev.socketserver.admin.internal.HealthRoute;
import dev.socketserver.admin.internal.HttpMetrics;
import dev.socketserver.admin.internal.JvmMetrics;
import dev.socketserver.admin.internal.ServerRoutes;
import dev.socketserver.admin.internal.TimeoutInput;
import dev.socketserver.admin.internal.Timeouts;
import dev.socketserver.admin.internal.Tokens;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The HTTP admin gateway: an embeddable Javalin app that lists the servers of a {@link ServerRegistry}
 * and lets an operator act on them.
 *
 * <table>
 *   <caption>Routes (JSON unless noted)</caption>
 *   <tr><th>route</th><th>does</th></tr>
 *   <tr><td>{@code GET /api/servers}</td><td>every live server</td></tr>
 *   <tr><td>{@code GET /api/servers/{id}}</td><td>one server, or 404</td></tr>
 *   <tr><td>{@code POST /api/servers/{id}/handle-request}</td><td>runs {@code handleRequest(timeout)} once;
 *       409 while the server is inside {@code serveForever()} or another {@code handleRequest()}</td></tr>
 *   <tr><td>{@code POST /api/servers/{id}/shutdown}</td><td>stops a running {@code serveForever()};
 *       idempotent</td></tr>
 *   <tr><td>{@code POST /api/servers/{id}/close}</td><td>{@code serverClose()}</td></tr>
 *   <tr><td>{@code POST /api/servers/{id}/drain?grace=PT0S&deadline=PT30S}</td><td>runs
 *       {@code drain(grace, deadline)} and answers its report once the server is closed; 409 if it is
 *       already draining</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>Prometheus text</td></tr>
 *   <tr><td>{@code GET /health}</td><td>200 {@code {"status":"UP"}}, or 503 {@code {"status":"draining"}}
 *       while a server of the registry drains or after {@link #markDraining()}; no token</td></tr>
 *   <tr><td>{@code GET /}</td><td>the operator console (HTML; its script and style under {@code /console/});
 *       no token: the page asks for it and sends it as the {@code Authorization} header</td></tr>
 *   <tr><td>{@code GET /openapi.json}</td><td>the OpenAPI 3.1 description of these routes; no token</td></tr>
 * </table>
 *
 * <p>The actions take an optional timeout, as the query parameter {@code timeout} or a body
 * {@code {"timeout": "PT2S"}}: an ISO-8601 duration or whole milliseconds, at most
 * {@link #MAX_TIMEOUT}. Without one, handle-request waits {@link #DEFAULT_HANDLE_REQUEST_TIMEOUT} and
 * shutdown and close wait {@link #DEFAULT_ACTION_WAIT}. Request bodies are limited to
 * {@link #MAX_BODY_BYTES} (413 beyond). Handlers run on virtual threads, so a waiting handle-request
 * never blocks other calls.
 *
 * <p><b>Security.</b> Binds {@code 127.0.0.1} unless told otherwise. Every request but {@code /health}
 * needs {@code Authorization: Bearer <token>}; the token comes from {@link Builder#token}, else the
 * environment variable {@value #TOKEN_ENV}, else it is generated at start and printed once to standard
 * error. A non-loopback host without such an explicit token is refused. Errors are
 * {@code {"error": ..., "message": ...}} and never carry a stack trace. Every state-changing call is
 * logged (logger {@code dev.socketserver.admin.audit}) with the caller's address.
 *
 * <pre>{@code
 * try (AdminGateway admin = AdminGateway.builder().port(8081).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class AdminGateway implements AutoCloseable {

    /** The environment variable the token is read from when the builder was given none. */
    public static final String TOKEN_ENV = Tokens.ENV;
    /** The host bound by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** How long handle-request waits for a request when the call names no timeout. */
    public static final Duration DEFAULT_HANDLE_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long shutdown and close wait for the loop or the handlers when the call names no timeout. */
    public static final Duration DEFAULT_ACTION_WAIT = Duration.ofSeconds(5);
    /** The largest timeout a call may name. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 4096;
    /** How long a drain may take when the call names no deadline. */
    public static final Duration DEFAULT_DRAIN_DEADLINE = Duration.ofSeconds(30);
    /** How long {@link #stop()} lets running calls finish by default. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(AdminGateway.class);

    private final Javalin app;
    private final String host;
    private final String token;
    private final ServerRegistry registry;
    private final PrometheusMeterRegistry meters;
    private final boolean ownsMeters;
    private final ServerMeterBinder binder;
    private final RequestDurationHistograms durations;
    private final JvmMetrics jvmMetrics;
    private final HealthRoute health;
    private volatile URI uri;
    private boolean stopped;

    private AdminGateway(Builder b, String host, String token) {
        this.host = host;
        this.token = token;
        this.registry = b.registry;
        this.ownsMeters = b.meters == null;
        this.meters = ownsMeters ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : b.meters;
        if (ownsMeters) {
            this.meters.config().meterFilter(JvmMetrics.RENAME);
        }
        this.binder = new ServerMeterBinder(registry);
        this.durations = new RequestDurationHistograms(registry);
        this.jvmMetrics = b.jvmMetrics ? new JvmMetrics() : null;
        JsonMapper json = JsonMapper.builder()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        Set<String> openPaths = new HashSet<>(ConsoleRoutes.PATHS);
        if (b.metricsWithoutToken) {
            openPaths.add("/metrics");
        }
        BearerAuth auth = new BearerAuth(token, openPaths);
        ConsoleRoutes console = new ConsoleRoutes();
        ErrorMapping errors = new ErrorMapping(json);
        HttpMetrics httpMetrics = new HttpMetrics(meters);
        ServerRoutes servers = new ServerRoutes(registry, new TimeoutInput(new Timeouts(MAX_TIMEOUT), json),
                DEFAULT_HANDLE_REQUEST_TIMEOUT, DEFAULT_ACTION_WAIT, DEFAULT_DRAIN_DEADLINE);
        this.health = new HealthRoute(registry);
        long stopMillis = b.stopTimeout.toMillis();
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false; // a non-daemon thread that delays JVM exit by 5 s
            cfg.jetty.host = host;
            cfg.jetty.port = b.port;
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(stopMillis);
                server.setErrorHandler(errors.jettyErrorHandler());
            });
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson3(json, true));
            cfg.requestLogger.http((ctx, ms) -> {
                httpMetrics.record(ctx, ms);
                Audit.log(ctx, ms);
            });
            cfg.routes.before(ConsoleRoutes::securityHeaders);
            cfg.routes.before(auth::check);
            cfg.routes.before(ctx -> {
                if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
                    throw new ApiException(413, "payload_too_large", "request body larger than " + MAX_BODY_BYTES + " bytes");
                }
            });
            cfg.routes.get(BearerAuth.OPEN_PATH, health::answer);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(meters.scrape()));
            servers.addTo(cfg.routes);
            console.addTo(cfg.routes);
            errors.addTo(cfg.routes);
        });
    }

    /**
     * Returns a builder with the defaults: {@code 127.0.0.1}, port 0 (any free port), the token from
     * {@value #TOKEN_ENV} or generated, the {@linkplain ServerRegistry#defaultRegistry() default registry},
     * a new Prometheus registry.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a gateway over the default registry until the JVM is stopped (Ctrl-C, SIGTERM). Flags:
     * {@code --host H}, {@code --port P}, {@code --token T} (prefer {@value #TOKEN_ENV}: a flag shows in
     * the process list), {@code --help}. Prints the URL it listens on to standard output.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = GatewayMain.run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    private AdminGateway start() {
        binder.bindTo(meters);
        durations.bindTo(meters);
        if (jvmMetrics != null) {
            if (!ownsMeters) {
                meters.config().meterFilter(JvmMetrics.RENAME);
            }
            jvmMetrics.bindTo(meters);
        }
        try {
            app.start();
        } catch (RuntimeException e) {
            closeMeters();
            throw e;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        uri = URI.create("http://" + h + ":" + app.port() + "/");
        LOG.info("socketserver admin gateway listening on {}", uri);
        return this;
    }

    /**
     * Stops the gateway: refuses new connections, lets running calls finish for up to the builder's
     * {@linkplain Builder#stopTimeout stop timeout}, stops following the registry and removes its meters
     * (and closes the Prometheus registry if the gateway created it). The servers are left as they are.
     * Idempotent. A handle-request still waiting when the stop timeout ends has its HTTP exchange cut;
     * the server's {@code handleRequest} itself runs on until its own timeout.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            app.stop();
        } finally {
            closeMeters();
        }
        LOG.info("socketserver admin gateway on {} stopped", uri);
    }

    private void closeMeters() {
        binder.close();
        durations.close();
        if (jvmMetrics != null) {
            jvmMetrics.close();
        }
        if (ownsMeters) {
            meters.close();
        }
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Tells the gateway that the whole process is draining: from now on {@code GET /health} answers
     * 503 {@code {"status":"draining"}}, so a load balancer stops sending new clients before any server
     * has begun its own {@code drain}. A launcher calls it on SIGTERM, before draining its servers.
     * There is no way back: a draining process ends. Idempotent.
     */
    public void markDraining() {
        health.markDraining();
    }

    /**
     * Returns the port the gateway listens on (the real one when the builder asked for port 0).
     *
     * @return the port
     */
    public int port() {
        return uri.getPort();
    }

    /**
     * Returns the host the gateway is bound to.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * Returns the gateway's base URL, e.g. {@code http://127.0.0.1:8081/}.
     *
     * @return the URL
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the bearer token callers must send; useful when it was generated.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Returns the registry whose servers the gateway serves.
     *
     * @return the registry
     */
    public ServerRegistry registry() {
        return registry;
    }

    /**
     * Returns the Micrometer registry behind {@code /metrics}.
     *
     * @return the Prometheus registry
     */
    public PrometheusMeterRegistry meterRegistry() {
        return meters;
    }

    /** For tests: every route of the router, as {@code "METHOD /path"}. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(p -> p.endpoint.method.isHttpMethod()) // not the before-handlers
                .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
                .toList();
    }

    /** Configures and starts an {@link AdminGateway}. Not thread-safe; use it on one thread. */
    public static final class Builder {

        private String host = DEFAULT_HOST;
        private int port;
        private String token;
        private ServerRegistry registry = ServerRegistry.defaultRegistry();
        private PrometheusMeterRegistry meters;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private boolean metricsWithoutToken;
        private boolean jvmMetrics = true;
        private UnaryOperator<String> environment = System::getenv;
        private Consumer<String> announcer = Builder::printOnce;

        private Builder() {
        }

        /**
         * Sets the host or address to bind; {@code 127.0.0.1} by default. Anything that is not a
         * loopback address needs a token set with {@link #token} or {@value AdminGateway#TOKEN_ENV}.
         *
         * @param host a host name or literal address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port; 0 (the default) picks any free port, see {@link AdminGateway#port()}.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the bearer token: 16 to 512 visible ASCII characters. Without it the token comes from
         * {@value AdminGateway#TOKEN_ENV}, else it is generated.
         *
         * @param token the token
         * @return this builder
         */
        public Builder token(String token) {
            this.token = Tokens.validate(Objects.requireNonNull(token, "token"), "the builder");
            return this;
        }

        /**
         * Sets the registry whose servers the gateway serves; the JVM-wide default otherwise.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder registry(ServerRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Sets the Prometheus registry for {@code /metrics}, e.g. to share it with the application's own
         * meters; a new one otherwise. The gateway adds its meters and removes them on stop, but does not
         * close a registry it was given.
         *
         * @param meters the registry
         * @return this builder
         */
        public Builder meterRegistry(PrometheusMeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /**
         * Sets how long {@link AdminGateway#stop()} lets running calls finish; 2 seconds by default.
         *
         * @param stopTimeout zero or more
         * @return this builder
         */
        public Builder stopTimeout(Duration stopTimeout) {
            if (stopTimeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
            }
            this.stopTimeout = stopTimeout;
            return this;
        }

        /**
         * Serves {@code GET /metrics} without the token (off by default), for a Prometheus that scrapes
         * without credentials. <b>Risk:</b> anyone who can reach the gateway's port then reads the
         * metrics: server names, ids, classes and families, request counts and timings, and the JVM's
         * memory, threads and open files. Only turn it on where the port is reachable by the scraper
         * alone (loopback, a private network, a firewall rule). The actions and the server list still
         * need the token.
         *
         * @param open true to serve {@code /metrics} without a token
         * @return this builder
         */
        public Builder metricsWithoutToken(boolean open) {
            this.metricsWithoutToken = open;
            return this;
        }

        /**
         * Registers the JVM and process meters of micrometer-core (memory, GC, threads, class loading,
         * processor, uptime, file descriptors); on by default. Turn it off when the application already
         * binds them to the registry it passes to {@link #meterRegistry}.
         *
         * @param on false to leave them out
         * @return this builder
         */
        public Builder jvmMetrics(boolean on) {
            this.jvmMetrics = on;
            return this;
        }

        /** For tests: where environment variables are read from. */
        Builder environment(UnaryOperator<String> environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        /** For tests: who is told a generated token (standard error otherwise). */
        Builder announcer(Consumer<String> announcer) {
            this.announcer = Objects.requireNonNull(announcer);
            return this;
        }

        /**
         * Starts the gateway.
         *
         * @return the running gateway
         * @throws IllegalStateException if the host is not a loopback address and no token was set
         *     explicitly
         * @throws IllegalArgumentException if the host cannot be resolved, or {@value AdminGateway#TOKEN_ENV}
         *     holds an invalid token
         * @throws RuntimeException if the port cannot be bound
         */
        public AdminGateway start() {
            String explicit = token;
            if (explicit == null) {
                String env = environment.apply(TOKEN_ENV);
                if (env != null && !env.isBlank()) {
                    explicit = Tokens.validate(env.strip(), "$" + TOKEN_ENV);
                }
            }
            if (explicit == null && !isLoopback(host)) {
                throw new IllegalStateException("refusing to start the admin gateway on non-loopback host '" + host
                        + "' without a token: set one with AdminGateway.builder().token(...), --token or $" + TOKEN_ENV);
            }
            String effective = explicit != null ? explicit : Tokens.generate();
            AdminGateway gateway = new AdminGateway(this, host, effective).start();
            if (explicit == null) {
                announcer.accept(effective); // only once it is running, so the token printed is one that works
            }
            return gateway;
        }

        private static boolean isLoopback(String host) {
            try {
                return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve the admin gateway's host '" + host + "'", e);
            }
        }

        private static void printOnce(String token) {
            PrintStream err = System.err;
            err.println("socketserver-admin: no token configured; generated this bearer token (shown once): " + token);
            err.flush();
        }
    }
}
