package io.tapio.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace a test creates for traffic that must not leave it: only its loopback
 * is up, and it is deleted on close, with everything it held.
 */
public final class TestNetns implements AutoCloseable {
    private final String name = "tapio-test-" + UUID.randomUUID().toString().substring(0, 8);

    public TestNetns() {
        Commands.check("ip", "netns", "add", name);
        try {
            exec("ip", "link", "set", "lo", "up");
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    /** Runs a command inside the namespace and checks it succeeds. */
    public String exec(String... command) {
        return Commands.check(inside(command).toArray(String[]::new));
    }

    /** A command line that runs {@code command} inside the namespace. */
    public List<String> inside(String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(List.of(command));
        return line;
    }

    /** Sets a sysctl of this namespace's network stack, such as {@code ipv4/tcp_syn_retries}. */
    public void sysctl(String key, String value) {
        exec("/bin/sh", "-c", "echo " + value + " > /proc/sys/net/" + key);
    }

    @Override
    public void close() {
        Commands.run("ip", "netns", "del", name);
    }
}
