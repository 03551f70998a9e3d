package dev.socketserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The socket file a Unix server created by binding: remembered at bind, removed at close only if
 * the path still holds that same socket (never a regular file, nor a socket someone bound since).
 */
final class UnixSocketFile {

    private static final System.Logger LOG = System.getLogger("dev.socketserver");

    private final Path path;
    private final Object fileKey;

    private UnixSocketFile(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /**
     * Remembers the socket file at {@code path}, just after a successful bind.
     *
     * @param path the bound path; empty or abstract names have no file
     * @return the record, or {@code null} if there is no file to remove later
     */
    static UnixSocketFile created(Path path) {
        if (path == null || path.toString().isEmpty() || path.toString().charAt(0) == '\0') {
            return null;
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isOther() ? new UnixSocketFile(path, attrs.fileKey()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes the file if it is still the socket this server created. */
    void remove() {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isOther() || (fileKey != null && !fileKey.equals(attrs.fileKey()))) {
                LOG.log(System.Logger.Level.WARNING, "not removing " + path + ": it is no longer the socket this server created");
                return;
            }
            Files.deleteIfExists(path);
        } catch (java.nio.file.NoSuchFileException gone) {
            // someone removed it already
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove socket file " + path, e);
        }
    }
}
