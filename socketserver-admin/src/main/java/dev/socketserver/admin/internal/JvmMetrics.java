package dev.socketserver.admin.internal;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.lang.management.ManagementFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JVM and process meters of micrometer-core's binders: memory, GC, threads, class loading,
 * processor, uptime and file descriptors. {@link #close()} removes exactly the meters that binding
 * added (and stops the GC listener), so a registry shared with the application keeps its own.
 *
 * <p>Prometheus conventions win over a few of Micrometer's names (see {@link #RENAME}): meter names that
 * end in {@code .count}, which turns into the {@code _count} suffix Prometheus reserves for histograms and
 * summaries, are renamed ({@code system.cpu.count} to {@code system.cpu.logical}, {@code jvm.buffer.count}
 * to {@code jvm.buffer.instances}, {@code jvm.classes.loaded.count} to {@code jvm.classes.loaded.cumulative}),
 * and {@code process.cpu.time}, counted in nanoseconds ({@code process_cpu_time_ns_total}), is replaced by
 * the conventional {@code process_cpu_seconds_total}.
 */
public final class JvmMetrics implements AutoCloseable {

    private static final Map<String, String> RENAMES = Map.of(
            "system.cpu.count", "system.cpu.logical",
            "jvm.buffer.count", "jvm.buffer.instances",
            "jvm.classes.loaded.count", "jvm.classes.loaded.cumulative");

    /** The renaming filter; install it on a registry before {@link #bindTo}. */
    public static final MeterFilter RENAME = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            String to = RENAMES.get(id.getName());
            return to == null ? id : id.withName(to);
        }

        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return "process.cpu.time".equals(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }
    };

    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
            new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
    private final Set<Meter.Id> added = new HashSet<>();
    private final Set<Meter.Id> before = new HashSet<>();
    private MeterRegistry registry;

    /** Creates the binders; nothing is registered before {@link #bindTo}. */
    public JvmMetrics() {
    }

    /**
     * Registers the meters.
     *
     * @param registry where they go
     */
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        registry.getMeters().forEach(m -> before.add(m.getId()));
        binders.forEach(b -> b.bindTo(registry));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the JVM process")
                    .register(registry);
        }
        registry.getMeters().forEach(m -> {
            if (!before.contains(m.getId())) {
                added.add(m.getId());
            }
        });
    }

    /** Removes the meters that {@link #bindTo} added and stops the GC notifications. Idempotent. */
    @Override
    public synchronized void close() {
        gc.close();
        if (registry != null) {
            added.forEach(registry::remove);
            added.clear();
            // the GC binder registers some meters only at the first collection it sees
            registry.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("jvm.gc.") && !before.contains(m.getId()))
                    .forEach(registry::remove);
        }
    }
}
