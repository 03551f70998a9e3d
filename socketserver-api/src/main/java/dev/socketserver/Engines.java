package dev.socketserver;

import dev.socketserver.spi.EngineProvider;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the engine once, the way the JDK finds its {@code SelectorProvider}. */
final class Engines {

    private Engines() {
    }

    /** Lazy holder: the lookup runs when the first server is created, not when the class loads. */
    private static final class Holder {
        static final EngineProvider PROVIDER = load();
    }

    static EngineProvider provider() {
        try {
            return Holder.PROVIDER;
        } catch (ExceptionInInitializerError e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (NoClassDefFoundError e) {
            // the holder failed before; say the same thing again rather than a bare NoClassDefFoundError
            return load();
        }
    }

    private static EngineProvider load() {
        Iterator<EngineProvider> it = ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader()).iterator();
        try {
            if (it.hasNext()) {
                return it.next();
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("the dev.socketserver engine could not be loaded: " + e.getMessage(), e);
        }
        throw new IllegalStateException(
                "no dev.socketserver engine on the module path: add socketserver-impl "
                        + "(module dev.socketserver.impl) to the module path or class path");
    }
}
