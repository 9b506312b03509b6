package io.tapio.ebpf.libbpf;

/**
 * What the kernel counted of a program's runs while {@link RunTimeStats} were enabled: how
 * often it ran and for how long in all ({@code run_cnt}, {@code run_time_ns} of
 * {@code struct bpf_prog_info}). Both only grow, so a measurement is the difference of two.
 */
public record ProgramRunTime(long runs, long nanos) {
    public static final ProgramRunTime NONE = new ProgramRunTime(0, 0);

    /** What was counted since {@code earlier}. */
    public ProgramRunTime since(ProgramRunTime earlier) {
        return new ProgramRunTime(runs - earlier.runs, nanos - earlier.nanos);
    }

    /** Both together: of two programs, say. */
    public ProgramRunTime plus(ProgramRunTime other) {
        return new ProgramRunTime(runs + other.runs, nanos + other.nanos);
    }

    /** Mean nanoseconds per run, 0 without runs. */
    public double nanosPerRun() {
        return runs == 0 ? 0 : (double) nanos / runs;
    }
}
