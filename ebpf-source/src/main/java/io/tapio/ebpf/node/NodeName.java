package io.tapio.ebpf.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name of the node this JVM runs on: {@code TAPIO_NODE_NAME}, else {@code NODE_NAME}
 * (what a Kubernetes pod gets from the downward API, spec.nodeName), else the host name.
 */
public final class NodeName {
    private NodeName() {}

    public static String local() {
        for (String variable : new String[] {"TAPIO_NODE_NAME", "NODE_NAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
