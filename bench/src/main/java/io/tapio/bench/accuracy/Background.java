package io.tapio.bench.accuracy;

import io.tapio.bench.WorkDirectory;
import io.tapio.testing.BuildProject;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * A machine's normal, benign activity, in a cgroup of its own for the whole run: processes
 * that start and exit cleanly, successful opens, successful connects on loopback, and a
 * parallel compile. None of it may produce a finding of severity warning or above.
 */
final class Background implements AutoCloseable {
    private final WorkloadCgroup cgroup = WorkloadCgroup.create();
    private final ServerSocket server;
    private final Thread acceptor;
    private final WorkDirectory buildDir = WorkDirectory.create("tapio-accuracy");

    Background() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().name("benign-accept").daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        Path build = BuildProject.create(buildDir.path(), 8);
        for (String loop : List.of(
                "while :; do /bin/true; sleep 0.05; done",
                "while :; do cat /etc/hostname >/dev/null; sleep 0.1; done",
                "while :; do exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; exec 3>&-; sleep 0.1; done",
                "while :; do make -s -B -j2 -C " + build + "; done")) {
            Processes.start(cgroup.wrap("/bin/bash -c '" + loop + "'"));
        }
    }

    long cgroupId() {
        return cgroup.id();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        cgroup.close();
        server.close();
        acceptor.join(5_000);
        buildDir.close();
    }
}
