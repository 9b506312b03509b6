package io.tapio.testing;

import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Property-based fuzzing of a decoder, inside an ordinary JUnit test: inputs made from a seeded
 * random source, a property checked on each, and the heap each check allocates held to a bound
 * that the input justifies. A failure names the input and the seed that makes it again.
 *
 * <p>How many inputs: {@value #TRIES} (default {@value #DEFAULT_TRIES}, a few seconds; the long
 * run in README sets ten million). Which: {@value #SEED}, else a new seed each run. Try {@code
 * i} is made from seed {@code s + i·γ}, so {@code -Dtapio.fuzz.seed=S -Dtapio.fuzz.tries=1}
 * makes exactly the input whose seed the failure named.
 *
 * <p>A small harness rather than a property-testing library: the one that resolves here
 * (jqwik 1.10) asks not to be used by AI coding agents, with which this project is written.
 */
public final class Fuzz<T> {
    public static final String TRIES = "tapio.fuzz.tries";
    public static final String SEED = "tapio.fuzz.seed";
    public static final long DEFAULT_TRIES = 2_000;

    /** Inputs before the counted ones, unchecked for allocation: loading classes and linking call sites allocate once. */
    private static final int WARM_UP = 2_000;

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** A long run says how far it got now and then. */
    private static final long PROGRESS_EVERY = 1_000_000;

    private final String name;
    private final Function<SplittableRandom, T> inputs;
    private Function<T, String> describe = String::valueOf;
    private ToLongFunction<T> allocationBound = input -> Long.MAX_VALUE;
    private Set<String> reached = Set.of();

    private Fuzz(String name, Function<SplittableRandom, T> inputs) {
        this.name = name;
        this.inputs = inputs;
    }

    /** Fuzzing {@code name} with inputs made by {@code inputs} from a random source. */
    public static <T> Fuzz<T> of(String name, Function<SplittableRandom, T> inputs) {
        return new Fuzz<>(name, inputs);
    }

    /** Fuzzing with byte strings, shown in hex when one fails. */
    public static Fuzz<byte[]> ofBytes(String name, Function<SplittableRandom, byte[]> inputs) {
        return of(name, inputs)
                .describedBy(bytes -> bytes.length + " bytes: " + HexFormat.of().formatHex(bytes));
    }

    public Fuzz<T> describedBy(Function<T, String> describe) {
        this.describe = describe;
        return this;
    }

    /** Each check may allocate at most this many heap bytes for its input. */
    public Fuzz<T> allocatingAtMost(ToLongFunction<T> bound) {
        this.allocationBound = bound;
        return this;
    }

    /**
     * The outcomes a run of at least {@value #DEFAULT_TRIES} inputs must reach: inputs that never
     * get past the first check would make the property hold for nothing.
     */
    public Fuzz<T> reaching(Collection<String> outcomes) {
        this.reached = Set.copyOf(outcomes);
        return this;
    }

    /**
     * Checks {@code property} on each input; the property throws when it does not hold, and
     * otherwise names the input's outcome (its event type, the reason it was refused).
     *
     * @return how many inputs had each outcome; printed with the tries, the time and the seed
     */
    public Map<String, Long> check(Function<T, String> property) {
        long tries = Long.getLong(TRIES, DEFAULT_TRIES);
        String seedProperty = System.getProperty(SEED);
        long seed = seedProperty == null ? new SplittableRandom().nextLong() : Long.parseLong(seedProperty);
        for (int i = 0; i < WARM_UP; i++) {
            long warmUpSeed = ~seed + i * GAMMA;
            run(property, inputs.apply(new SplittableRandom(warmUpSeed)), warmUpSeed, -1);
        }
        Map<String, Long> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        for (long i = 0; i < tries; i++) {
            long trySeed = seed + i * GAMMA;
            T input = inputs.apply(new SplittableRandom(trySeed));
            long bound = allocationBound.applyAsLong(input);
            long before = ThreadAllocation.bytes();
            String outcome = run(property, input, trySeed, i);
            long allocated = ThreadAllocation.bytes() - before;
            if (allocated > bound) {
                // Once more: the first input down a rare path pays for loading its classes (the
                // Unicode tables of another plane, say), which no later one does.
                before = ThreadAllocation.bytes();
                run(property, input, trySeed, i);
                allocated = ThreadAllocation.bytes() - before;
                if (allocated > bound) {
                    throw failure(
                            i,
                            trySeed,
                            input,
                            "allocated " + allocated + " bytes, more than its bound of " + bound,
                            null);
                }
            }
            outcomes.merge(outcome, 1L, Long::sum);
            if ((i + 1) % PROGRESS_EVERY == 0 && i + 1 < tries) {
                System.out.printf(
                        "fuzz %s: %,d of %,d inputs in %.1f s: %s%n",
                        name, i + 1, tries, (System.nanoTime() - started) / 1e9, outcomes);
            }
        }
        System.out.printf(
                "fuzz %s: %,d inputs in %.1f s (seed %d): %s%n",
                name, tries, (System.nanoTime() - started) / 1e9, seed, outcomes);
        if (tries >= DEFAULT_TRIES && !outcomes.keySet().containsAll(reached)) {
            Set<String> missed = new TreeSet<>(reached);
            missed.removeAll(outcomes.keySet());
            throw new AssertionError(name + ": no input of " + tries + " reached " + missed + " (seed " + seed + ")");
        }
        return outcomes;
    }

    /**
     * {@code bytes} as a bad disk, a cut copy or a foreign writer leaves them, one time in four
     * untouched: cut short, a few bits flipped, or random bytes inserted. May change the array.
     */
    public static byte[] damage(byte[] bytes, SplittableRandom random) {
        switch (bytes.length == 0 ? 0 : random.nextInt(4)) {
            case 0 -> {
                return bytes;
            }
            case 1 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 2 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            }
            default -> {
                int at = random.nextInt(bytes.length + 1);
                byte[] inserted = new byte[1 + random.nextInt(16)];
                random.nextBytes(inserted);
                byte[] longer = new byte[bytes.length + inserted.length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(inserted, 0, longer, at, inserted.length);
                System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
                return longer;
            }
        }
    }

    private String run(Function<T, String> property, T input, long seed, long attempt) {
        try {
            return property.apply(input);
        } catch (RuntimeException | AssertionError e) {
            throw failure(attempt, seed, input, e.toString(), e);
        }
    }

    private AssertionError failure(long attempt, long seed, T input, String what, Throwable cause) {
        String which = attempt < 0 ? "a warm-up input" : "input " + attempt;
        return new AssertionError(
                name + ": " + which + " " + what + "; make it again with -D" + SEED + "=" + seed + " -D" + TRIES
                        + "=1: " + describe.apply(input),
                cause);
    }
}
