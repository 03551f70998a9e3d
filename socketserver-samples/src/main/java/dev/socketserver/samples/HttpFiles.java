package dev.socketserver.samples;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The file side of {@link HttpFileServer}, kept apart so that the sample shows the protocol on
 * {@code StreamRequestHandler}: where a request's path leads under the root (never outside it), a
 * file's content type, and a folder's listing.
 */
final class HttpFiles {

    /**
     * Content types by file extension, as Python's {@code mimetypes} and browsers know them. Text types
     * say UTF-8, which is what the samples write and what a browser would otherwise have to guess;
     * JSON has no charset parameter (RFC 8259: it is UTF-8). {@code .wasm} must be
     * {@code application/wasm} for {@code WebAssembly.instantiateStreaming}. Anything else is
     * {@code application/octet-stream}: a download, never content sniffed as HTML.
     */
    static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("xml", "text/xml; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("svg", "image/svg+xml"));

    private HttpFiles() {
    }

    /**
     * Where a request's path leads under {@code root}. Python: {@code SimpleHTTPRequestHandler.translate_path},
     * which drops {@code ..}; here it is refused.
     *
     * @param root the served folder, a real path
     * @param target the request's path, with any query
     * @return the real path of the file or folder
     * @throws Refused 400 for a malformed path, 403 for one that leaves the root, 404 for a missing file
     */
    static Path resolve(Path root, String target) throws Refused {
        String path = target.split("[?#]", 2)[0];
        if (!path.startsWith("/")) {
            throw new Refused(400);
        }
        Path file = root;
        try {
            for (String segment : URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8).split("/")) {
                if (segment.equals("..")) {
                    throw new Refused(403);
                }
                if (!segment.isEmpty() && !segment.equals(".")) {
                    file = file.resolve(segment);
                }
            }
        } catch (IllegalArgumentException badEscapeOrNul) {
            throw new Refused(400);
        }
        return inRoot(root, file);
    }

    /**
     * Follows symbolic links and refuses where they lead if that is outside the root.
     *
     * @param root the served folder, a real path
     * @param file a path under it
     * @return the real path
     * @throws Refused 404 if it does not exist, 403 if it cannot be read or lies outside the root
     */
    static Path inRoot(Path root, Path file) throws Refused {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(404);
        } catch (IOException e) {
            throw new Refused(403);
        }
        if (!real.startsWith(root)) {
            throw new Refused(403);
        }
        return real;
    }

    /**
     * Returns a file's content type, from its extension.
     *
     * @param file the file
     * @return the type, {@code application/octet-stream} when the extension is unknown
     */
    static String type(Path file) {
        String name = file.getFileName().toString();
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
    }

    /**
     * Returns a plain HTML listing of a folder, Python's {@code list_directory}.
     *
     * @param dir the folder's path in the URL, ending with a slash
     * @param folder the folder
     * @return the page
     * @throws IOException if the folder cannot be read
     */
    static byte[] listing(String dir, Path folder) throws IOException {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<title>Index of " + escape(dir) + "</title>\n<ul>\n");
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                String slash = Files.isDirectory(entry) ? "/" : "";
                String name = entry.getFileName().toString();
                String href = dir + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + slash;
                html.append("<li><a href=\"").append(escape(href)).append("\">")
                        .append(escape(name + slash)).append("</a>\n");
            }
        }
        return html.append("</ul>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A request the server turns down with {@code status}. */
    static final class Refused extends Exception {
        private final int status;

        Refused(int status) {
            super(null, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
