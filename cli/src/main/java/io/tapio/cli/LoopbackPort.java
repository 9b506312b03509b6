package io.tapio.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A loopback port a command is about to listen on, checked before anything starts: a port
 * held by another process (often a second {@code tapio run}) is one line naming the port and
 * the option that moves it, not a {@link BindException} from deep inside Flink.
 */
record LoopbackPort(int port, String what, String option) {
    void requireFree() {
        if (port == 0) {
            return; // The system picks a free one.
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (BindException inUse) {
            throw new IllegalArgumentException(String.format(
                    "port %d on 127.0.0.1 (%s) is in use, perhaps by another tapio run (./tapio check tells): "
                            + "choose another with %s PORT",
                    port, what, option));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check port " + port, e);
        }
    }
}
