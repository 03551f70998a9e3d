package dev.socketserver.samples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The jars {@code package} made, for tests that start {@code java -p ...} themselves instead of the launcher. */
final class PackagedJars {

    private PackagedJars() {
    }

    /**
     * Returns the api, impl and samples jars; exactly one of each.
     *
     * @return the three jars
     * @throws IOException if a target folder cannot be read
     */
    static List<Path> threeJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String module : List.of("socketserver-api", "socketserver-impl", "socketserver-samples")) {
            Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> candidates = Files.newDirectoryStream(target, module + "-*.jar")) {
                for (Path jar : candidates) {
                    if (!jar.toString().matches(".*-(sources|javadoc|tests)\\.jar")) {
                        found.add(jar);
                    }
                }
            }
            assertEquals(1, found.size(), "one packaged jar of " + module + ": " + found);
            jars.addAll(found);
        }
        return jars;
    }

    /**
     * Returns {@code java -p <the three jars> -m dev.socketserver.samples/dev.socketserver.samples.<main>},
     * with no other flag: no native access, no {@code --add-exports}.
     *
     * @param main the class with {@code main}, e.g. {@code Samples}
     * @return the command
     * @throws IOException if a target folder cannot be read
     */
    static List<String> javaCommand(String main) throws IOException {
        String module = "dev.socketserver.samples";
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p", String.join(":", threeJars().stream().map(Path::toString).toList()),
                "-m", module + "/" + module + "." + main);
    }
}
