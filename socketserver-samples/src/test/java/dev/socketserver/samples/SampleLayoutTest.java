package dev.socketserver.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the samples module is laid out, read from its compiled classes' constant pools (so every kind of
 * reference counts): the admin gateway is named by {@link AdminSide} alone, which is what lets the other
 * samples run without it; the benchmark package and the learning samples do not use each other (only the
 * launcher, {@link Samples}, dispatches to {@code samples bench}); and each learning sample is a public
 * class with its own {@code main}.
 */
class SampleLayoutTest {

    private static final String SAMPLES = "dev/socketserver/samples/";
    private static final String BENCH = SAMPLES + "bench/";

    /** Every main class of the module, as {@code internal/name} and the classes it references. */
    private static List<ClassModel> mainClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(Samples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ClassModel> models = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (!file.getFileName().toString().equals("module-info.class")) {
                    models.add(ClassFile.of().parse(Files.readAllBytes(file)));
                }
            }
        }
        assertTrue(models.size() > 20, "found the module's classes in " + classes);
        return models;
    }

    /** Lists {@code from -> to} for every class reference whose target matches. */
    private static List<String> references(java.util.function.Predicate<String> from, java.util.function.Predicate<String> to)
            throws IOException, URISyntaxException {
        List<String> found = new ArrayList<>();
        for (ClassModel model : mainClasses()) {
            String name = model.thisClass().asInternalName();
            if (!from.test(name)) {
                continue;
            }
            for (var constant : model.constantPool()) {
                if (constant instanceof ClassEntry used && to.test(used.asInternalName())) {
                    found.add(name + " -> " + used.asInternalName());
                }
            }
        }
        return found;
    }

    private static boolean learningPackage(String name) {
        return name.startsWith(SAMPLES) && name.indexOf('/', SAMPLES.length()) < 0;
    }

    @Test
    void onlyAdminSideNamesTheAdminGateway() throws Exception {
        assertEquals(List.of(), references(name -> !name.equals(SAMPLES + "AdminSide"),
                used -> used.startsWith("dev/socketserver/admin/")));
        assertTrue(!references(name -> name.equals(SAMPLES + "AdminSide"),
                used -> used.equals("dev/socketserver/admin/AdminGateway")).isEmpty(), "the check itself sees AdminSide's use");
    }

    @Test
    void theLearningSamplesAndTheBenchmarkStayApart() throws Exception {
        assertEquals(List.of(), references(name -> learningPackage(name) && !name.equals(SAMPLES + "Samples"),
                used -> used.startsWith(BENCH)));
        assertEquals(List.of(), references(name -> name.startsWith(BENCH), SampleLayoutTest::learningPackage));
    }

    @ParameterizedTest
    @ValueSource(classes = {SeedServer.class, SeedClient.class, TcpEchoServer.class, TcpEchoClient.class,
            UdpEchoServer.class, UdpEchoClient.class, UnixStreamEchoServer.class, UnixStreamEchoClient.class,
            UnixDatagramEchoServer.class, UnixDatagramEchoClient.class, ChatServer.class, HttpFileServer.class, Demo.class,
            WhoAmIServer.class})
    void everyLearningSampleIsAPublicClassWithItsOwnMain(Class<?> sample) throws Exception {
        assertTrue(Modifier.isPublic(sample.getModifiers()), sample + " is public");
        Method main = sample.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class, main::toString);
    }
}
