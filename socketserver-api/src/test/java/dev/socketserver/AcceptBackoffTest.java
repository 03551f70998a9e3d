package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14, point 2: the pause after accepts that fail for want of descriptors (the end to end proof is DescriptorLimitTest). */
class AcceptBackoffTest {

    @Test
    void outOfDescriptorsThePauseDoublesFrom1msTo1sAndASuccessEndsIt() {
        AcceptBackoff backoff = new AcceptBackoff(new RepeatedErrors());
        assertEquals(0, backoff.pauseNanos());
        backoff.failed("tcp-test", new IOException("Connection reset by peer"));
        assertEquals(0, backoff.pauseNanos(), "a client that went away before accept costs no pause");
        long expected = TimeUnit.MILLISECONDS.toNanos(1);
        for (int i = 0; i < 15; i++) {
            backoff.failed("tcp-test", new IOException("Too many open files"));
            assertEquals(expected, backoff.pauseNanos());
            expected = Math.min(expected * 2, TimeUnit.SECONDS.toNanos(1));
        }
        backoff.succeeded();
        assertEquals(0, backoff.pauseNanos());
    }

    @Test
    void theJdksWordsForRunningOutAreRecognised() {
        assertTrue(AcceptBackoff.outOfResources(new IOException("Too many open files")));
        assertTrue(AcceptBackoff.outOfResources(new IOException("Too many open files in system")));
        assertTrue(AcceptBackoff.outOfResources(new IOException("No buffer space available")));
        assertFalse(AcceptBackoff.outOfResources(new IOException("Connection aborted")));
        assertFalse(AcceptBackoff.outOfResources(new IOException((String) null)));
        assertTrue(AcceptBackoff.openFilesLimit().matches("\\d+|unlimited|unknown"), AcceptBackoff.openFilesLimit());
    }
}
