package dev.socketserver.admin;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The gateway's packages depend one way: {@code dev.socketserver.admin} uses {@code internal}, and no
 * class in {@code internal} names a class of {@code dev.socketserver.admin} (the cycle that
 * {@code AdminGateway.main}'s command line once made). Read from the compiled classes' constant pools,
 * so any reference counts: a type, a constant, a method call.
 */
class PackageDependencyTest {

    private static final String INTERNAL = "dev/socketserver/admin/internal/";
    private static final String TOP = "dev/socketserver/admin/";

    @Test
    void noInternalClassReferencesTheExportedPackage() throws IOException {
        ResolvedModule admin = ModuleLayer.boot().configuration().findModule("dev.socketserver.admin").orElseThrow();
        List<String> backEdges = new ArrayList<>();
        int classes = 0;
        try (ModuleReader reader = admin.reference().open(); Stream<String> entries = reader.list()) {
            for (String entry : entries.filter(e -> e.startsWith(INTERNAL) && e.endsWith(".class")).toList()) {
                classes++;
                ClassModel model;
                try (InputStream in = reader.open(entry).orElseThrow()) {
                    model = ClassFile.of().parse(in.readAllBytes());
                }
                for (var constant : model.constantPool()) {
                    if (constant instanceof ClassEntry used && isTopLevelPackage(used.asInternalName())) {
                        backEdges.add(model.thisClass().asInternalName() + " -> " + used.asInternalName());
                    }
                }
            }
        }
        assertFalse(classes == 0, "found the internal package's classes");
        assertEquals(List.of(), backEdges);
    }

    private static boolean isTopLevelPackage(String internalName) {
        return internalName.startsWith(TOP) && internalName.indexOf('/', TOP.length()) < 0;
    }
}
