package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** systemd's variables read as sd_listen_fds(3) reads them: only for the process LISTEN_PID names. */
class ListenFdsTest {

    private static final long PID = 4242;

    @Test
    void socketsPassedToThisProcessAreCountedAndNamed() {
        ListenFds fds = ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "web:admin"), PID);
        assertEquals(2, fds.count());
        assertEquals(List.of("web", "admin"), fds.names());
        assertNull(fds.none());
    }

    @Test
    void withoutNamesEachSocketIsUnknown() {
        assertEquals(List.of("unknown", "unknown"), ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2"), PID).names());
        assertEquals(List.of("unknown"), ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "a:b"), PID).names(),
                "a name list of another length is ignored");
    }

    @Test
    void anotherProcessesSocketsAreIgnoredAndTheReasonIsGiven() {
        ListenFds fds = ListenFds.of(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"), PID);
        assertEquals(0, fds.count());
        assertEquals(List.of(), fds.names());
        assertEquals("LISTEN_PID=1 is another process (this is 4242), so LISTEN_FDS=1 is not for this one", fds.none());
    }

    @Test
    void missingOrBadVariablesMeanNoSockets() {
        assertEquals("LISTEN_FDS is not set", ListenFds.of(Map.of(), PID).none());
        assertEquals("LISTEN_FDS is set but LISTEN_PID is not", ListenFds.of(Map.of("LISTEN_FDS", "1"), PID).none());
        assertEquals("LISTEN_FDS=0 is not a positive count", ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "0"), PID).none());
        assertEquals("LISTEN_FDS=x is not a positive count", ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "x"), PID).none());
        assertEquals(0, ListenFds.of(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "-3"), PID).count());
    }
}
