package dev.socketserver.samples.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} command-line options with a fixed set of allowed keys. A bad option is an
 * {@link IllegalArgumentException}, which the front end turns into a one-line error and exit status 2.
 */
final class BenchArgs {

    private final Map<String, String> values = new LinkedHashMap<>();

    private BenchArgs() {
    }

    /**
     * @param args the arguments
     * @param allowed the option names without {@code --}
     * @return the parsed options
     */
    static BenchArgs parse(String[] args, Set<String> allowed) {
        BenchArgs a = new BenchArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (allowed: --" + String.join(", --", allowed) + ")");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            a.values.put(key, value);
        }
        return a;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer: " + v);
        }
    }

    long longValue(String key, long fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer: " + v);
        }
    }

    /** Seconds, fractions allowed ({@code 2.5}). */
    Duration seconds(String key, Duration fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(v);
            if (!(s >= 0) || s > 86_400) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number of seconds: " + v);
        }
    }
}
