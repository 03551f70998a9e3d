import dev.socketserver.InheritedSockets;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/**
 * Run by ActivationIT as a single-file program under launch.py's listen-fds-twice mode (LISTEN_FDS=2,
 * LISTEN_FDNAMES=first:second): prints what InheritedSockets sees, takes the first socket by name, and
 * prints the error for the second, since Java takes one inherited descriptor per JVM.
 */
public class TwoListenFds {
    public static void main(String[] args) throws IOException {
        System.out.println("count=" + InheritedSockets.listenFds() + " names=" + InheritedSockets.listenFdNames());
        var first = (ServerSocketChannel) InheritedSockets.named("first");
        System.out.println("first=" + first.getLocalAddress());
        try {
            InheritedSockets.listenFd(1);
            System.out.println("second=taken");
        } catch (IOException e) {
            System.out.println("second: " + e.getMessage());
        }
    }
}
