package dev.socketserver.impl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package cycle and no reference from a lower package up to a higher one, in the api and in the
 * engine, read from the compiled classes' constant pools (any reference counts: a type, a constant,
 * a method call). Each package may use its own classes and those of lower rank; two packages of the
 * same rank may not use each other.
 */
class PackageLayersTest {

    @Test
    void theApiUsesTheSpiAndTheSpiUsesNothingAbove() throws IOException {
        assertEquals(List.of(), upwardEdges("dev.socketserver.api", Map.of(
                "dev/socketserver", 2,
                "dev/socketserver/spi", 1)));
    }

    @Test
    void theEngineDependsDownwardOnly() throws IOException {
        assertEquals(List.of(), upwardEdges("dev.socketserver.impl", Map.of(
                "dev/socketserver/impl", 4,
                "dev/socketserver/impl/nio", 3,
                "dev/socketserver/impl/unix", 3,
                "dev/socketserver/impl/poller", 2,
                "dev/socketserver/impl/os", 1)));
    }

    /** Every reference from a class of {@code module} to a package of the same rank or higher. */
    private static List<String> upwardEdges(String module, Map<String, Integer> ranks) throws IOException {
        ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(module).orElseThrow();
        List<String> edges = new ArrayList<>();
        int classes = 0;
        try (ModuleReader reader = resolved.reference().open(); Stream<String> entries = reader.list()) {
            for (String entry : entries.filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class")).toList()) {
                ClassModel model;
                try (InputStream in = reader.open(entry).orElseThrow()) {
                    model = ClassFile.of().parse(in.readAllBytes());
                }
                String from = packageOf(model.thisClass().asInternalName());
                Integer fromRank = ranks.get(from);
                if (fromRank == null || isTest(model.thisClass().asInternalName())) {
                    continue; // the tests patched into the module reach across packages on purpose
                }
                classes++;
                for (var constant : model.constantPool()) {
                    if (constant instanceof ClassEntry used) {
                        String to = packageOf(used.asInternalName());
                        Integer toRank = ranks.get(to);
                        if (toRank != null && !to.equals(from) && toRank >= fromRank) {
                            edges.add(model.thisClass().asInternalName() + " -> " + used.asInternalName());
                        }
                    }
                }
            }
        }
        assertTrue(classes > 0, "read the classes of " + module);
        return edges;
    }

    private static boolean isTest(String internalName) {
        String outer = internalName.contains("$") ? internalName.substring(0, internalName.indexOf('$')) : internalName;
        return outer.endsWith("Test");
    }

    private static String packageOf(String internalName) {
        String name = internalName.startsWith("[") ? internalName.replaceAll("^\\[+L?", "").replace(";", "") : internalName;
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
