package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14, point 6: identical failures get one line per interval, and the next line says how many were left out. */
class RepeatedErrorsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RepeatedErrors repeated = new RepeatedErrors(now::get);

    private static IOException thrownHere(String message) {
        return new IOException(message);
    }

    @Test
    void oneLinePerIntervalThenTheCountOfTheOnesLeftOut() {
        String key = RepeatedErrors.keyOf(ErrorKind.PEER_GONE, thrownHere("to a"));
        assertEquals(0, repeated.admit(key), "the first one is logged");
        for (int i = 0; i < 41; i++) {
            assertEquals(-1, repeated.admit(key), "the rest of the interval is held back");
        }
        now.addAndGet(RepeatedErrors.INTERVAL_NANOS);
        assertEquals(41, repeated.admit(key), "the next line says how many were left out");
        assertEquals(-1, repeated.admit(key));
        assertTrue(RepeatedErrors.heldBackNote(41).contains("41 more like it"), RepeatedErrors.heldBackNote(41));
        assertEquals("", RepeatedErrors.heldBackNote(0));
    }

    @Test
    void theSameFailureForAnotherClientIsTheSameButAnotherPlaceIsNot() {
        String a = RepeatedErrors.keyOf(ErrorKind.HANDLER, thrownHere("client 1"));
        String b = RepeatedErrors.keyOf(ErrorKind.HANDLER, thrownHere("client 2"));
        String elsewhere = RepeatedErrors.keyOf(ErrorKind.HANDLER, new IOException("client 1"));
        assertEquals(a, b, "messages differ from client to client; the place does not");
        assertNotEquals(a, elsewhere);
        assertNotEquals(a, RepeatedErrors.keyOf(ErrorKind.PEER_GONE, thrownHere("client 1")));
        assertEquals(0, repeated.admit(a));
        assertEquals(0, repeated.admit(elsewhere), "another failure has its own interval");
    }

    @Test
    void anUndeliveredReplyIsAPeerGoneFailure() {
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new UndeliveredReply("datagram dropped", null)));
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new RuntimeException(new UndeliveredReply("x", new IOException()))));
    }
}
