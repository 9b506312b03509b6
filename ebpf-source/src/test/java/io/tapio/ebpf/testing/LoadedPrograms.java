package io.tapio.ebpf.testing;

import io.tapio.testing.Commands;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The BPF programs loaded in the kernel now, as {@code bpftool prog show} lists them. */
public final class LoadedPrograms {
    private static final Pattern NAME = Pattern.compile("^\\d+: \\S+\\s+name (\\S+)", Pattern.MULTILINE);

    private LoadedPrograms() {}

    /** Names of loaded programs that start with {@code prefix} (names are cut at 15 bytes). */
    public static List<String> named(String prefix) {
        Matcher m = NAME.matcher(Commands.check("/usr/sbin/bpftool", "prog", "show"));
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Waits (the kernel frees programs after an RCU grace period) until none starts with {@code prefix}. */
    public static List<String> awaitNone(String prefix) {
        List<String> left = named(prefix);
        for (int attempt = 0; attempt < 50 && !left.isEmpty(); attempt++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = named(prefix);
        }
        return left;
    }
}
