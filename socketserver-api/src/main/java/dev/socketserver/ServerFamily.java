package dev.socketserver;

/**
 * The four kinds of server in Python's {@code socketserver}: address family crossed with socket type.
 */
public enum ServerFamily {
    /** {@code AF_INET}/{@code AF_INET6} with {@code SOCK_STREAM}: {@link TCPServer}. */
    TCP("tcp"),
    /** {@code AF_INET}/{@code AF_INET6} with {@code SOCK_DGRAM}: {@code UDPServer}. */
    UDP("udp"),
    /** {@code AF_UNIX} with {@code SOCK_STREAM}: {@link UnixStreamServer}. */
    UNIX_STREAM("unix-stream"),
    /** {@code AF_UNIX} with {@code SOCK_DGRAM}: {@code UnixDatagramServer}. */
    UNIX_DATAGRAM("unix-datagram");

    private final String label;

    ServerFamily(String label) {
        this.label = label;
    }

    /**
     * Returns the short lower-case name used in listings and on command lines.
     *
     * @return {@code tcp}, {@code udp}, {@code unix-stream} or {@code unix-datagram}
     */
    public String label() {
        return label;
    }

    /**
     * Whether servers of this family receive datagrams (and reply through their own socket).
     *
     * @return {@code true} for {@link #UDP} and {@link #UNIX_DATAGRAM}
     */
    public boolean datagram() {
        return this == UDP || this == UNIX_DATAGRAM;
    }
}
