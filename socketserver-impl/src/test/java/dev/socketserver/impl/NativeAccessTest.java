package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.UDPServer;
import dev.socketserver.impl.ExternalTools.Result;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native binding loads lazily: TCP and UDP users need no flag and see no warning (with both flags,
 * connections served on virtual threads go through the engine's epoll poller); Unix datagram
 * users need {@code --enable-native-access=dev.socketserver.impl} on the module path, or
 * {@code ALL-UNNAMED} on the class path, exactly as documented. Each case is a fresh JVM.
 */
class NativeAccessTest {

    private static final Duration JVM_TIMEOUT = Duration.ofSeconds(60);
    private static final String WARNING = "WARNING: A restricted method";
    private static final String BOTH_FLAGS =
            "--enable-native-access=dev.socketserver.impl --add-exports java.base/sun.nio.ch=dev.socketserver.impl";

    @Test
    void tcpAndUdpNeedNoFlagAndPrintNoWarning() throws Exception {
        Result result = onModulePath("--illegal-native-access=deny", "tcp-udp");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("request=Connection timeout=SocketTimeoutException timerThreads=0 polled=false OK tcp-udp", result.stdout().strip(),
                "without native access: the JDK's waits and a selector for the timeout");
        assertFalse(result.stderr().contains("WARNING"), result.stderr());
    }

    @Test
    void withBothFlagsVirtualThreadConnectionsGoThroughTheEnginePoller() throws Exception {
        Result result = onModulePath(BOTH_FLAGS + " --illegal-native-access=deny", "tcp-udp");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("request=Connection timeout=SocketTimeoutException timerThreads=0 polled=true OK tcp-udp", result.stdout().strip());
        assertFalse(result.stderr().contains("WARNING"), result.stderr());
    }

    @Test
    void thePollerPropertySetToJdkKeepsTheJdkBlockingReads() throws Exception {
        Result result = onModulePath(BOTH_FLAGS + " -Ddev.socketserver.poller=jdk", "tcp-udp");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("request=Connection timeout=SocketTimeoutException timerThreads=0 polled=false OK tcp-udp", result.stdout().strip());
    }

    @Test
    void unixDatagramWithoutTheFlagWarnsAndNamesTheModule() throws Exception {
        Result result = onModulePath(null, "unix");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains(WARNING), result.stderr());
        assertTrue(result.stderr().contains("--enable-native-access=dev.socketserver.impl"), result.stderr());
    }

    @Test
    void unixDatagramOnTheModulePathWithTheDocumentedFlag() throws Exception {
        Result result = onModulePath("--enable-native-access=dev.socketserver.impl --illegal-native-access=deny", "unix");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("OK unix", result.stdout().strip());
        assertFalse(result.stderr().contains("WARNING"), result.stderr());
    }

    @Test
    void unixDatagramOnTheModulePathWhereNativeAccessIsDeniedNamesTheFlagEveryTime() throws Exception {
        Result result = onModulePath("--illegal-native-access=deny", "unix-denied");
        assertEquals(0, result.exitCode(), result.stderr());
        String message = "Unix datagram servers need native access (the FFM API), which this JVM denies: run it with "
                + "--enable-native-access=dev.socketserver.impl (on the class path: --enable-native-access=ALL-UNNAMED)";
        assertEquals(message + "\n" + message + "\nOK unix-denied", result.stdout().strip(),
                "the first attempt (ExceptionInInitializerError inside) and the next (NoClassDefFoundError inside) alike");
        assertEquals("", result.stderr());
    }

    @Test
    void unixDatagramOnTheClassPathWithAllUnnamed() throws Exception {
        Result allowed = onClassPath("--enable-native-access=ALL-UNNAMED --illegal-native-access=deny", "unix");
        assertEquals(0, allowed.exitCode(), allowed.stderr());
        assertEquals("OK unix", allowed.stdout().strip());
        assertFalse(allowed.stderr().contains("WARNING"), allowed.stderr());

        Result denied = onClassPath("--illegal-native-access=deny", "unix");
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("UnsupportedOperationException: Unix datagram servers need native access"), denied.stderr());
        assertTrue(denied.stderr().contains("--enable-native-access=ALL-UNNAMED"), denied.stderr());
        assertFalse(denied.stderr().lines().findFirst().orElse("").contains("ExceptionInInitializerError"), denied.stderr());
    }

    private static Result onModulePath(String flags, String probe) throws Exception {
        List<String> command = java(flags);
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, location(UDPServer.class), location(NioEngineProvider.class)),
                "--patch-module", "dev.socketserver.impl=" + testClasses(),
                "-m", "dev.socketserver.impl/" + NativeAccessProbe.class.getName(), probe));
        return ExternalTools.run(JVM_TIMEOUT, null, command.toArray(String[]::new));
    }

    private static Result onClassPath(String flags, String probe) throws Exception {
        List<String> command = java(flags);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, location(UDPServer.class),
                location(NioEngineProvider.class), testClasses()), NativeAccessProbe.class.getName(), probe));
        return ExternalTools.run(JVM_TIMEOUT, null, command.toArray(String[]::new));
    }

    private static List<String> java(String flags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        if (flags != null) {
            command.addAll(List.of(flags.split(" ")));
        }
        return command;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The directory the probe's class file is in, minus its package. */
    private static String testClasses() throws URISyntaxException {
        String resource = NativeAccessProbe.class.getSimpleName() + ".class";
        Path file = Path.of(NativeAccessProbe.class.getResource(resource).toURI());
        return file.getParent().getParent().getParent().getParent().toString();
    }
}
