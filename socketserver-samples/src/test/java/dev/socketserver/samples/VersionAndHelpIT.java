package dev.socketserver.samples;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code samples --version} and {@code samples COMMAND --help} through the checked-in launcher, on the
 * packaged jars: the version comes from the samples module's descriptor in its jar.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VersionAndHelpIT {

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of("samples").toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).start();
        try {
            process.getOutputStream().close();
            Lines out = new Lines(process.getInputStream());
            Lines err = new Lines(process.getErrorStream());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
            return new Result(process.exitValue(), out.all(), err.all());
        } finally {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest
    @CsvSource({"--version", "-V"})
    void versionNamesTheProjectsAndTheRuntimesVersion(String option) throws Exception {
        Result result = run(option);
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        String[] lines = result.out().split("\n");
        assertEquals(2, lines.length, result.out());
        assertTrue(lines[0].matches("socketserver-samples \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines[0]);
        assertTrue(lines[1].matches("Java 2[5-9][0-9.]*\\+\\S* \\(.+, .+\\)"), lines[1]);
    }

    @ParameterizedTest
    @CsvSource({"echo", "http", "whoami", "client"})
    void aCommandsHelpIsThatCommandsOptions(String command) throws Exception {
        assertEquals(new Result(0, CommandHelp.of(command), ""), run(command, "--help"));
    }
}
