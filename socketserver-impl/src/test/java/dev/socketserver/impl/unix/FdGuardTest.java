package dev.socketserver.impl.unix;

import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The use-after-close guard of the native descriptor, deterministically. */
class FdGuardTest {

    @Test
    void closeWaitsForTheCallInProgressAndRefusesNewOnes() throws Exception {
        FdGuard guard = new FdGuard(42);
        assertEquals(42, guard.enter()); // a native call in progress
        AtomicInteger taken = new AtomicInteger(-2);
        Thread closer = Thread.ofPlatform().start(() -> {
            assertTrue(guard.beginClose());
            taken.set(guard.takeForClose());
        });
        assertFalse(closer.join(Duration.ofMillis(300)), "close() must wait while a call uses the descriptor");
        assertEquals(-1, guard.fd(), "fileno() is -1 as soon as closing begins");
        assertTrue(guard.isClosing());
        guard.exit();
        assertTrue(closer.join(Duration.ofSeconds(10)));
        assertEquals(42, taken.get(), "the closer got the descriptor only after the call ended");
        assertThrows(ClosedChannelException.class, guard::enter);
        assertFalse(guard.beginClose(), "only one closer");
    }
}
