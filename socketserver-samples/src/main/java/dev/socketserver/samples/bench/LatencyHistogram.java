package dev.socketserver.samples.bench;

/**
 * A log-linear latency histogram in nanoseconds, as {@code loadgen.c} keeps one: values below 256 ns
 * are exact; above, each power of two is split into 128 sub-buckets, so a reported value (the bucket's
 * midpoint) is within 0.4 % of any value recorded in that bucket (well under the 1 % goal).
 *
 * <p>Not thread-safe: each selector thread keeps its own and they are {@linkplain #add merged} at the end.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;                 // 128 sub-buckets per power of two
    private static final int SUB = 1 << SUB_BITS;
    private static final int EXACT = 2 * SUB;              // 0..255 recorded exactly
    private static final int BUCKETS = EXACT + (63 - 8) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long max;

    /**
     * Records one value.
     *
     * @param nanos the latency in nanoseconds; negative values count as 0
     */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[bucket(v)]++;
        count++;
        if (v > max) {
            max = v;
        }
    }

    /**
     * Adds another histogram's counts to this one.
     *
     * @param other the histogram to add
     */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    /** @return how many values were recorded */
    public long count() {
        return count;
    }

    /** @return the largest recorded value in nanoseconds (exact), 0 when empty */
    public long max() {
        return max;
    }

    /**
     * Returns the value at a percentile, as {@code loadgen.c}: the midpoint of the bucket holding the
     * {@code p/100 * count}-th value (never above the exact maximum).
     *
     * @param p the percentile, 0 to 100
     * @return nanoseconds, 0 when empty
     */
    public long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long target = (long) (p / 100.0 * count);
        if (target >= count) {
            target = count - 1;
        }
        long acc = 0;
        for (int b = 0; b < BUCKETS; b++) {
            acc += counts[b];
            if (acc > target) {
                return Math.min(value(b), max);
            }
        }
        return max;
    }

    static int bucket(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;
        int b = EXACT + (msb - 8) * SUB + (int) ((v >>> shift) & (SUB - 1));
        return Math.min(b, BUCKETS - 1);
    }

    static long value(int b) {
        if (b < EXACT) {
            return b;
        }
        int msb = (b - EXACT) / SUB + 8;
        int sub = (b - EXACT) % SUB;
        int shift = msb - SUB_BITS;
        long lo = ((long) (SUB + sub)) << shift;
        return lo + ((1L << shift) >> 1);
    }
}
