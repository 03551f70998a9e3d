package dev.socketserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * systemd's socket-passing environment, read as {@code sd_listen_fds(3)} reads it: {@code LISTEN_FDS}
 * counts the sockets passed from fd 3, but only when {@code LISTEN_PID} is this process (a child that
 * inherited the variables must not take its parent's sockets); {@code LISTEN_FDNAMES} names them,
 * colon-separated ({@code sd_listen_fds_with_names}), {@code "unknown"} when absent or when the count
 * differs.
 *
 * @param count how many sockets were passed to this process, 0 if none
 * @param names one name per socket
 * @param none why {@code count} is 0, for messages; {@code null} when sockets were passed
 */
record ListenFds(int count, List<String> names, String none) {

    /** The first descriptor systemd passes: {@code SD_LISTEN_FDS_START}. */
    static final int START = 3;

    /**
     * Reads the variables.
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @param pid this process's id
     * @return what was passed to this process
     */
    static ListenFds of(Map<String, String> env, long pid) {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenFds == null) {
            return none("LISTEN_FDS is not set");
        }
        if (listenPid == null) {
            return none("LISTEN_FDS is set but LISTEN_PID is not");
        }
        if (!listenPid.equals(Long.toString(pid))) {
            return none("LISTEN_PID=" + listenPid + " is another process (this is " + pid + "), so LISTEN_FDS="
                    + listenFds + " is not for this one");
        }
        int count;
        try {
            count = Integer.parseInt(listenFds);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count <= 0) {
            return none("LISTEN_FDS=" + listenFds + " is not a positive count");
        }
        List<String> names = new ArrayList<>(Collections.nCopies(count, "unknown"));
        String fdNames = env.get("LISTEN_FDNAMES");
        if (fdNames != null) {
            String[] given = fdNames.split(":", -1);
            if (given.length == count) {
                names = List.of(given);
            }
        }
        return new ListenFds(count, List.copyOf(names), null);
    }

    private static ListenFds none(String why) {
        return new ListenFds(0, List.of(), why);
    }
}
