package io.tapio.bench.accuracy;

import io.tapio.testing.WorkloadCgroup;

/**
 * One real fault, or one real thing that must stay silent, that the accuracy suite makes
 * happen on this machine in a cgroup of its own. To add one: a factory in {@link Scenarios},
 * listed in {@link Scenarios#all()}.
 *
 * @param name what happens, as the report names it
 * @param expected the one incident it must make in its workload; {@link Expected#NOTHING} for a
 *     scenario that must make none
 * @param memoryLimitBytes the memory limit of its cgroup; 0 for none
 * @param harmsOthers whether it also harms workloads outside its own (a CPU hog starves
 *     everything on its CPU): then its pattern is true of any workload while it runs
 * @param fault makes it happen, and returns when it is done (bounded: about a minute)
 */
public record Scenario(String name, Expected expected, long memoryLimitBytes, boolean harmsOthers, Fault fault) {
    /** What a scenario makes happen in its cgroup. */
    @FunctionalInterface
    public interface Fault {
        void make(WorkloadCgroup cgroup) throws Exception;
    }

    /**
     * The incident a scenario must make: its pattern (as its latest report names it) and, where
     * the fault has one, the pattern of its cause.
     */
    public record Expected(String pattern, String causePattern) {
        public static final Expected NOTHING = new Expected("", "");

        public static Expected pattern(String pattern) {
            return new Expected(pattern, "");
        }

        public boolean nothing() {
            return pattern.isEmpty();
        }

        /** As the report prints it: {@code crash_loop (cause missing_file)}, {@code nothing}. */
        @Override
        public String toString() {
            return nothing() ? "nothing" : pattern + (causePattern.isEmpty() ? "" : " (cause " + causePattern + ")");
        }
    }

    static Scenario of(String name, Expected expected, Fault fault) {
        return new Scenario(name, expected, 0, false, fault);
    }
}
