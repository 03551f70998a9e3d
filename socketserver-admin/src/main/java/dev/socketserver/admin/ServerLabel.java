package dev.socketserver.admin;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerInfo;

/**
 * The value of the {@code server} metric label: the server's name when one was set with
 * {@link BaseServer#setName}, else its id.
 *
 * <p>The api's default name is {@code "<class> <address>"} (e.g. {@code "TCPServer 127.0.0.1:41231"}): with
 * port 0 it changes at every start and it holds spaces, so it makes a poor label; the id ({@code tcp-1})
 * is at least short, but it follows the JVM's start order. Give servers a name for a label that stays the
 * same across restarts. The api cannot tell whether a name was set, so a name equal to the default form
 * counts as "not set".
 */
final class ServerLabel {

    private ServerLabel() {
    }

    static String of(BaseServer<?> server) {
        ServerInfo info = server.info();
        String name = info.name();
        String defaultName = info.serverClass() + " " + info.address();
        return name == null || name.isBlank() || name.equals(defaultName) ? server.id() : name;
    }
}
