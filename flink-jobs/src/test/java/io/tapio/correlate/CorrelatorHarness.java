package io.tapio.correlate;

import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The correlator (or an earlier version's operator) in Flink's keyed operator harness, events of
 * host cgroups for it, and the keys its state holds.
 */
public final class CorrelatorHarness {
    private CorrelatorHarness() {}

    public static KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness(
            OneInputStreamOperator<EnrichedEvent, Finding> operator) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, e -> e.workload().key(), Types.STRING);
    }

    /** Runs the mails in the harness's mailbox, which stands for the task's: the partial batches end there. */
    public static int runMails(KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness)
            throws Exception {
        int ran = 0;
        for (Optional<Mail> mail; (mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent(); ) {
            mail.get().run();
            ran++;
        }
        return ran;
    }

    /** An event of pid 100 in the host cgroup {@code cgroup} at {@code epochMillis}. */
    public static EnrichedEvent event(long cgroup, long epochMillis, EventPayload payload) {
        return event(cgroup, 100, epochMillis, payload);
    }

    /** An event of process {@code pid} in the host cgroup {@code cgroup} at {@code epochMillis}. */
    public static EnrichedEvent event(long cgroup, int pid, long epochMillis, EventPayload payload) {
        KernelEvent event =
                KernelEvent.of(new EventSubject(epochMillis * 1_000_000, 0, pid, pid, cgroup, "app"), payload);
        return new EnrichedEvent(event, workload(cgroup));
    }

    public static Workload workload(long cgroup) {
        return Workload.host(new Workload.Cgroup("node-1", cgroup, ""));
    }

    /** The correlator's key of the host cgroup {@code cgroup}. */
    public static String key(long cgroup) {
        return workload(cgroup).key();
    }

    /** The keys that hold an entry of the keyed state named {@code state}. */
    public static List<String> keysWith(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness, String state) {
        try (var keys = harness.getOperator().getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.map(Object::toString).collect(Collectors.toList());
        }
    }
}
