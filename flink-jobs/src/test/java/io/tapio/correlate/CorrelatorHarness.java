package io.tapio.correlate;

import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** The correlator (or an earlier version's operator) in Flink's keyed operator harness, and events of host cgroups for it. */
final class CorrelatorHarness {
    private CorrelatorHarness() {}

    static KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness(
            OneInputStreamOperator<EnrichedEvent, Finding> operator) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, e -> e.workload().key(), Types.STRING);
    }

    /** Runs the mails in the harness's mailbox, which stands for the task's: the partial batches end there. */
    static int runMails(KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness)
            throws Exception {
        int ran = 0;
        for (Optional<Mail> mail; (mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent(); ) {
            mail.get().run();
            ran++;
        }
        return ran;
    }

    /** An event of pid 100 in the host cgroup {@code cgroup} at {@code epochMillis}. */
    static EnrichedEvent event(long cgroup, long epochMillis, EventPayload payload) {
        KernelEvent event =
                KernelEvent.of(new EventSubject(epochMillis * 1_000_000, 0, 100, 100, cgroup, "app"), payload);
        return new EnrichedEvent(event, workload(cgroup));
    }

    static Workload workload(long cgroup) {
        return Workload.host(new Workload.Cgroup("node-1", cgroup, ""));
    }
}
