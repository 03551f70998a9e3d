package dev.socketserver.samples;

import java.lang.module.ModuleDescriptor;
import java.util.Optional;

/**
 * {@code samples --version}: the project's version and the Java runtime's, for bug reports. The
 * project's version is the samples module's, which Maven's compiler records in {@code module-info.class}
 * ({@code --module-version}, the POM's version), so it needs no file of its own; on the class path,
 * where there is no module, the jar manifest's {@code Implementation-Version} if any.
 */
final class SamplesVersion {

    private SamplesVersion() {
    }

    /**
     * Returns the version text.
     *
     * @return two lines: {@code socketserver-samples VERSION} and {@code Java VERSION (VENDOR, VM)}
     */
    static String text() {
        return "socketserver-samples " + project() + "\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")\n";
    }

    /**
     * Returns the project's version.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} if neither the module nor the jar says
     */
    static String project() {
        Optional<String> fromModule = Optional.ofNullable(SamplesVersion.class.getModule().getDescriptor())
                .flatMap(ModuleDescriptor::rawVersion);
        return fromModule.or(() -> Optional.ofNullable(SamplesVersion.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }
}
