package dev.socketserver;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The servers that are live in a JVM: each server joins when it is activated and leaves when it is
 * closed. The admin gateway lists and drives the servers of a registry. Python has no counterpart.
 *
 * <p>Every server joins {@link #defaultRegistry()} unless it was given another one with
 * {@link BaseServer#setRegistry} before activation. Thread-safe.
 */
public final class ServerRegistry {

    private static final ServerRegistry DEFAULT = new ServerRegistry();

    private final ConcurrentSkipListMap<String, BaseServer<?>> servers = new ConcurrentSkipListMap<>(ServerRegistry::byIdNumber);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty registry, for servers that should not appear in the JVM-wide one. */
    public ServerRegistry() {
    }

    /**
     * Returns the JVM-wide registry that servers join by default.
     *
     * @return the default registry
     */
    public static ServerRegistry defaultRegistry() {
        return DEFAULT;
    }

    /**
     * Returns the live servers, oldest first.
     *
     * @return a snapshot list
     */
    public List<BaseServer<?>> servers() {
        return List.copyOf(servers.values());
    }

    /**
     * Finds a live server by its id.
     *
     * @param id the server's {@link BaseServer#id()}
     * @return the server, or empty when no live server has that id
     */
    public Optional<BaseServer<?>> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(servers.get(id));
    }

    /**
     * Adds a listener told about servers joining and leaving. It is told at once about the servers
     * already live, so it never misses one.
     *
     * @param listener the listener
     */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        servers.values().forEach(listener::joined);
    }

    /**
     * Removes a listener added with {@link #addListener}.
     *
     * @param listener the listener
     */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    void join(BaseServer<?> server) {
        if (servers.putIfAbsent(server.id(), server) == null) {
            listeners.forEach(l -> l.joined(server));
        }
    }

    void leave(BaseServer<?> server) {
        if (servers.remove(server.id(), server)) {
            listeners.forEach(l -> l.left(server));
        }
    }

    /**
     * Orders ids {@code FAMILY-N} by N, which one counter hands out to every server of the JVM in
     * creation order: oldest first, whatever the family. (Comparing the family first grouped the
     * listing by family name instead.)
     */
    private static int byIdNumber(String a, String b) {
        int da = a.lastIndexOf('-');
        int db = b.lastIndexOf('-');
        try {
            int byNumber = Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
            if (byNumber != 0) {
                return byNumber;
            }
        } catch (NumberFormatException e) {
            // not a generated id: fall back to the text
        }
        return a.compareTo(b);
    }

    /** Told when a server joins or leaves a registry; called on the thread that activates or closes it. */
    public interface Listener {
        /**
         * A server was activated.
         *
         * @param server the server
         */
        void joined(BaseServer<?> server);

        /**
         * A server was closed.
         *
         * @param server the server
         */
        void left(BaseServer<?> server);
    }
}
