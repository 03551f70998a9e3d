package dev.socketserver.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code samples COMMAND --help}: the launcher's usage ({@link CommandLine#USAGE}) cut down to that
 * command's lines, with the legend and notes that follow the commands. Cut from the one text rather
 * than written again, so a command's options are described in one place.
 */
final class CommandHelp {

    private CommandHelp() {
    }

    /**
     * Returns one command's usage.
     *
     * @param command a launcher command, e.g. {@code echo}
     * @return {@code usage: samples COMMAND [OPTIONS]}, the command's lines, then the legend and notes
     * @throws IllegalArgumentException if the usage does not describe the command
     */
    static String of(String command) {
        List<String> lines = CommandLine.USAGE.lines().toList();
        int commandsStart = lines.indexOf("") + 1;
        int commandsEnd = lines.subList(commandsStart, lines.size()).indexOf("") + commandsStart;
        List<String> block = new ArrayList<>();
        boolean inBlock = false;
        for (String line : lines.subList(commandsStart, commandsEnd)) {
            if (!line.startsWith("   ")) { // "  name ...": a command's first line; deeper lines continue it
                inBlock = line.strip().split(" ")[0].equals(command);
            }
            if (inBlock) {
                block.add(line);
            }
        }
        if (block.isEmpty()) {
            throw new IllegalArgumentException("the usage does not describe " + command);
        }
        StringBuilder text = new StringBuilder("usage: samples ").append(command).append(" [OPTIONS]\n\n");
        block.forEach(line -> text.append(line).append('\n'));
        lines.subList(commandsEnd, lines.size()).forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
