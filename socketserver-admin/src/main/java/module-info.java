/**
 * The optional HTTP admin gateway of socketserver for Java: lists the servers of a
 * {@link dev.socketserver.ServerRegistry}, triggers {@code handleRequest}, {@code shutdown} and
 * {@code serverClose} over a small JSON API guarded by a bearer token, and exports per-server
 * Prometheus metrics.
 *
 * <p>Start it with {@link dev.socketserver.admin.AdminGateway#builder()}. It depends on the api only;
 * servers come from whatever engine the application runs ({@code dev.socketserver.impl}). Javalin 7
 * (and with it Jetty and the Kotlin standard library), Jackson 3 and Micrometer stay in this module, so
 * applications that skip it pay nothing for them.
 */
module dev.socketserver.admin {
    requires transitive dev.socketserver.api;
    // Micrometer types appear in the exported API (the builder takes a PrometheusMeterRegistry,
    // ServerMeterBinder is a MeterBinder); both are automatic modules.
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus;
    requires io.javalin;
    // io.javalin only "requires static" its JSON mappers: without this line Jackson is not resolved.
    requires tools.jackson.databind;
    requires org.slf4j;
    // Micrometer's ProcessorMetrics and FileDescriptorMetrics read com.sun.management's MXBeans
    // reflectively; an automatic module does not pull jdk.management into the module graph.
    requires jdk.management;

    exports dev.socketserver.admin;
    // Jackson reflects on the response records.
    opens dev.socketserver.admin.dto to tools.jackson.databind;
}
