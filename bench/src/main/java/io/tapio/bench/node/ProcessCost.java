package io.tapio.bench.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process costs the node right now, from {@code /proc}: its CPU time so far (user and
 * system, all threads), its resident memory and its thread count.
 *
 * @param cpuTicks utime + stime, in clock ticks ({@link #TICKS_PER_SECOND})
 */
record ProcessCost(long cpuTicks, long rssKib, int threads) {
    /** USER_HZ: the unit of {@code /proc/PID/stat}'s times, 100 on every Linux architecture Tapio runs on. */
    static final int TICKS_PER_SECOND = 100;

    static ProcessCost of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // The fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            return new ProcessCost(ticks, rss, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("process " + pid + " is gone", e);
        }
    }

    /** The share of one core the process used between {@code earlier} and this, {@code seconds} apart, in percent. */
    double cpuPercentSince(ProcessCost earlier, double seconds) {
        return 100.0 * (cpuTicks - earlier.cpuTicks) / TICKS_PER_SECOND / seconds;
    }

    double rssMib() {
        return rssKib / 1024.0;
    }
}
