package io.tapio.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, as the kernel lists them in {@code /proc/net/tcp} and {@code tcp6}. */
final class Listeners {
    /** 127.0.0.0/8 in /proc/net/tcp's byte order, the same mapped into IPv6, and ::1. */
    private static final String LOOPBACK = "[0-9A-F]{6}7F|0000000000000000FFFF0000[0-9A-F]{6}7F|0{24}01000000";

    private Listeners() {}

    /** The local addresses (hex address:port) of the process's listening sockets. */
    static List<String> of(long pid) throws IOException {
        Set<String> sockets = socketInodes(pid);
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                boolean listen = fields[3].equals("0A");
                if (listen && sockets.contains(fields[9])) {
                    listening.add(fields[1]);
                }
            }
        }
        return listening;
    }

    /** Those of the addresses that are not on loopback. */
    static List<String> beyondLoopback(List<String> listening) {
        return listening.stream()
                .filter(address -> !address.split(":")[0].matches(LOOPBACK))
                .toList();
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // Not a socket we can miss: it is gone.
                }
            }
        }
        return inodes;
    }
}
