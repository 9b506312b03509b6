package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.libbpf.BpfObject;
import io.tapio.ebpf.libbpf.BpfProgram;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where Tapio's programs attach on kernels that lack some of their tracepoints, as the
 * collector decides from the kernel's BTF before loading: the real object's programs, opened
 * and not loaded, against kernels told which tracepoints they lack.
 */
class AttachPlanTest {
    private static BpfObject object;
    private static Map<EventType, List<BpfProgram>> programs;

    @BeforeAll
    static void open() {
        object = BpfObject.open("tapio", KernelCollector.objectBytes());
        programs = new EnumMap<>(EventType.class);
        object.programs()
                .forEach(p -> programs.computeIfAbsent(Program.named(p.name()).type(), t -> new ArrayList<>())
                        .add(p));
    }

    @AfterAll
    static void close() {
        object.close();
    }

    @Test
    void onAKernelWithEveryTracepointEachProgramAttachesWhereItsSectionSays() {
        AttachPlan plan = AttachPlan.of(programs, KernelWithout.everythingBut());

        for (Program program : Program.values()) {
            assertEquals(Optional.empty(), plan.attachTarget(program.objectName()), program.objectName());
        }
        assertEquals(Map.of(), plan.unavailable());
        assertEquals(Map.of(), plan.limitations());
    }

    @Test
    void beforeLinux65BlockIoAttachesToTheRequestIssueAndCompletionAndSaysWhatItLoses() {
        AttachPlan plan = AttachPlan.of(programs, KernelWithout.everythingBut("block_io_start", "block_io_done"));

        assertEquals(Optional.of("block_rq_issue"), plan.attachTarget(Program.BLOCK_IO_START.objectName()));
        assertEquals(Optional.of("block_rq_complete"), plan.attachTarget(Program.BLOCK_IO_DONE.objectName()));
        assertEquals(Map.of(), plan.unavailable());
        assertEquals(
                Map.of(
                        EventType.BLOCK_IO_LATENCY,
                        "this kernel has no block_io_start (6.5+), so they are timed from block_rq_issue: "
                                + "the wait in the I/O scheduler is not counted"),
                plan.limitations());
    }

    @Test
    void aTypeWithAProgramThatCanAttachNowhereIsUnavailableAsAWhole() {
        AttachPlan plan = AttachPlan.of(
                programs,
                KernelWithout.everythingBut(
                        "block_io_start", "block_io_done", "block_rq_complete", "syscalls/sys_exit_openat"));

        assertEquals(
                Map.of(
                        EventType.BLOCK_IO_LATENCY,
                        "this kernel has no tracepoint block_io_done (nor block_rq_complete)",
                        EventType.OPEN_FAILED,
                        "this kernel has no tracepoint syscalls/sys_exit_openat"),
                plan.unavailable());
        assertEquals(Optional.empty(), plan.attachTarget(Program.BLOCK_IO_START.objectName()));
        assertEquals(Map.of(), plan.limitations());
    }

    @Test
    void aMissingTracepointWithoutAnAlternativeLeavesOutOnlyItsType() {
        AttachPlan plan = AttachPlan.of(programs, KernelWithout.everythingBut("mark_victim"));

        assertEquals(Map.of(EventType.OOM_KILL, "this kernel has no tracepoint mark_victim"), plan.unavailable());
        assertTrue(plan.limitations().isEmpty());
    }
}
