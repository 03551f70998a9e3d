package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The api module's shape: JDK-only, the two exported packages, the engine found by ServiceLoader. */
class ApiModuleTest {

    private static final ModuleDescriptor API = BaseServer.class.getModule().getDescriptor();

    @Test
    void apiRequiresNothingButJavaBase() {
        Set<String> requires = API.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base"), requires, "dev.socketserver.api must stay JDK-only");
    }

    @Test
    void apiExportsTheServerAndSpiPackagesAndUsesTheEngineProvider() {
        assertEquals("dev.socketserver.api", API.name());
        Set<String> exports = API.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("dev.socketserver", "dev.socketserver.spi"), exports);
        assertEquals(Set.of("dev.socketserver.spi.EngineProvider"), API.uses());
    }

    /** The api's own tests run without socketserver-impl: creating a server must say what to add. */
    @Test
    void withoutTheEngineCreatingAServerSaysToAddSocketserverImpl() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TCPServer(new InetSocketAddress("127.0.0.1", 0), StreamRequestHandler::new));
        assertTrue(e.getMessage().contains("add socketserver-impl"), e.getMessage());
    }
}
