package dev.socketserver.samples;

import dev.socketserver.KeyMaterial;
import dev.socketserver.ProxyProtocol;
import dev.socketserver.TCPServer;
import dev.socketserver.TlsClientAuth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The launcher's options for real traffic on stream servers, checked before anything starts:
 * {@code --tls-cert CERT.pem --tls-key KEY.pem [--tls-client-ca CA.pem --tls-client-auth want|need]},
 * {@code --proxy-protocol required|optional [--proxy-trusted CIDR,...]} and {@code --idle-timeout 30s}.
 * They become {@link TCPServer}'s setters, set before bind.
 */
final class StreamLayers {

    /** The option names, for each stream command's list of allowed options. */
    static final List<String> OPTIONS = List.of("tls-cert", "tls-key", "tls-client-ca", "tls-client-auth",
            "proxy-protocol", "proxy-trusted", "idle-timeout");

    /** What the usage text says about them. */
    static final String SYNOPSIS = "[--tls-cert CERT.pem --tls-key KEY.pem [--tls-client-ca CA.pem --tls-client-auth want|need]]"
            + " [--proxy-protocol required|optional [--proxy-trusted CIDR,...]] [--idle-timeout 30s]";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private final SSLContext sslContext;
    private final TlsClientAuth clientAuth;
    private final ProxyProtocol proxyProtocol;
    private final List<String> proxyTrusted;
    private final Duration idleTimeout;

    private StreamLayers(SSLContext sslContext, TlsClientAuth clientAuth, ProxyProtocol proxyProtocol,
                         List<String> proxyTrusted, Duration idleTimeout) {
        this.sslContext = sslContext;
        this.clientAuth = clientAuth;
        this.proxyProtocol = proxyProtocol;
        this.proxyTrusted = proxyTrusted;
        this.idleTimeout = idleTimeout;
    }

    /** No layers: a plain server, as without any of the options. */
    static StreamLayers none() {
        return new StreamLayers(null, TlsClientAuth.NONE, ProxyProtocol.OFF, null, null);
    }

    /**
     * Reads and checks the options; loads the key material.
     *
     * @param options the command line
     * @return the layers
     * @throws UsageException for options that do not fit together or malformed values
     * @throws IOException if a key or certificate file cannot be loaded (the message names it)
     */
    static StreamLayers parse(CommandLine options) throws UsageException, IOException {
        String cert = options.get("tls-cert");
        String key = options.get("tls-key");
        String clientCa = options.get("tls-client-ca");
        String auth = options.get("tls-client-auth");
        if ((cert == null) != (key == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        if (cert == null && (clientCa != null || auth != null)) {
            throw new UsageException("--tls-client-ca and --tls-client-auth need --tls-cert and --tls-key");
        }
        if ((clientCa == null) != (auth == null)) {
            throw new UsageException("--tls-client-ca and --tls-client-auth go together");
        }
        TlsClientAuth clientAuth = auth == null ? TlsClientAuth.NONE : switch (auth) {
            case "want" -> TlsClientAuth.WANT;
            case "need" -> TlsClientAuth.NEED;
            default -> throw new UsageException("unknown --tls-client-auth '" + auth + "' (expected want or need)");
        };
        SSLContext context = null;
        if (cert != null) {
            for (String file : clientCa == null ? List.of(cert, key) : List.of(cert, key, clientCa)) {
                if (!Files.isReadable(Path.of(file))) {
                    throw new UsageException("cannot read " + file);
                }
            }
            context = KeyMaterial.serverContext(Path.of(cert), Path.of(key), clientCa == null ? null : Path.of(clientCa));
        }
        String proxy = options.get("proxy-protocol");
        String trusted = options.get("proxy-trusted");
        ProxyProtocol mode = proxy == null ? ProxyProtocol.OFF : switch (proxy) {
            case "required" -> ProxyProtocol.REQUIRED;
            case "optional" -> ProxyProtocol.OPTIONAL;
            default -> throw new UsageException("unknown --proxy-protocol '" + proxy + "' (expected required or optional)");
        };
        if (trusted != null && proxy == null) {
            throw new UsageException("--proxy-trusted needs --proxy-protocol");
        }
        List<String> cidrs = trusted == null ? null : Arrays.stream(trusted.split(",")).map(String::strip).toList();
        if (cidrs != null) {
            try {
                checkCidrs(cidrs);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--proxy-trusted: " + e.getMessage());
            }
        }
        String idle = options.get("idle-timeout");
        return new StreamLayers(context, clientAuth, mode, cidrs, idle == null ? null : duration("idle-timeout", idle));
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a number of seconds.
     *
     * @param option the option, for messages
     * @param text what the user typed
     * @return a positive duration
     * @throws UsageException if it is not one
     */
    static Duration duration(String option, String text) throws UsageException {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + option + " needs a positive duration such as 30s or 500ms, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Whether any layer is on; datagram families refuse them. */
    boolean any() {
        return sslContext != null || proxyProtocol != ProxyProtocol.OFF || idleTimeout != null;
    }

    /** Whether TLS is on. */
    boolean tls() {
        return sslContext != null;
    }

    /**
     * Sets the layers on a server that is not bound yet.
     *
     * @param server the server
     */
    void applyTo(TCPServer server) {
        if (sslContext != null) {
            server.setSslContext(sslContext).setTlsClientAuth(clientAuth);
        }
        server.setProxyProtocol(proxyProtocol);
        if (proxyTrusted != null) {
            server.setProxyTrusted(proxyTrusted);
        }
        server.setIdleTimeout(idleTimeout);
    }

    /**
     * Checks the blocks before anything starts, so a typo is a usage error (status 2); the server's
     * setter checks them again.
     */
    private static void checkCidrs(List<String> cidrs) {
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            try {
                java.net.InetAddress.ofLiteral(host); // never a name lookup
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR block (e.g. 10.0.0.0/8, ::1)");
            }
            if (slash >= 0) {
                int bits;
                try {
                    bits = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > (host.contains(":") ? 128 : 32)) {
                    throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
                }
            }
        }
    }
}
