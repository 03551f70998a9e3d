package dev.socketserver.samples;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, which this module requires), reached by
 * reflection: javac reports every direct use of it as "internal proprietary API" in a warning no
 * {@code @SuppressWarnings} silences, and the build stays free of warnings. The calls are the same as
 * {@code Signal.handle(new Signal(name), handler)}.
 */
final class Signals {

    private static final Class<?> SIGNAL;
    private static final Class<?> HANDLER;
    private static final Constructor<?> NEW_SIGNAL;
    private static final Method HANDLE;
    private static final Method HANDLER_HANDLE;
    private static final Object SIG_DFL;
    private static final Object SIG_IGN;

    static {
        try {
            SIGNAL = Class.forName("sun.misc.Signal");
            HANDLER = Class.forName("sun.misc.SignalHandler");
            NEW_SIGNAL = SIGNAL.getConstructor(String.class);
            HANDLE = SIGNAL.getMethod("handle", SIGNAL, HANDLER);
            HANDLER_HANDLE = HANDLER.getMethod("handle", SIGNAL);
            SIG_DFL = HANDLER.getField("SIG_DFL").get(null);
            SIG_IGN = HANDLER.getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Signals() {
    }

    /** The handler a signal had before {@link #handle} replaced it. */
    static final class Previous {
        private final String name;
        private final Object handler;

        private Previous(String name, Object handler) {
            this.name = name;
            this.handler = handler;
        }

        /** Whether the signal was ignored ({@code SIG_IGN}). */
        boolean ignored() {
            return handler == SIG_IGN;
        }

        /** Whether the signal had the operating system's default action ({@code SIG_DFL}). */
        boolean osDefault() {
            return handler == null || handler == SIG_DFL;
        }

        /** Runs the previous handler, as it would have run for this signal (e.g. the JVM's exit on SIGINT). */
        void run() {
            try {
                HANDLER_HANDLE.invoke(handler, NEW_SIGNAL.newInstance(name));
            } catch (InvocationTargetException e) {
                throw rethrow(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code Signal.handle(new Signal(name), handler)}: {@code handler} runs on the JVM's signal thread
     * each time the signal comes, and must return soon.
     *
     * @param name the signal's name without {@code SIG}, e.g. {@code TERM}
     * @param handler what to run
     * @return the handler it replaced
     * @throws IllegalArgumentException if the JVM keeps the signal for itself ({@code -Xrs}, or a name it refuses)
     */
    static Previous handle(String name, Runnable handler) {
        Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {HANDLER},
                (self, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        handler.run();
                        yield null;
                    }
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> "SignalHandler[" + name + "]";
                });
        try {
            return new Previous(name, HANDLE.invoke(null, NEW_SIGNAL.newInstance(name), proxy));
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
