package io.tapio.kernelmatrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What tapio-probe (kernel-matrix/probe/tapio-probe.c) or CollectorInGuest, and workload.sh
 * printed: each program's fate on the kernel with its verifier log, the decoded events, the
 * kernel's counters, what the Java collector left out or attached elsewhere, and what each
 * workload step did.
 */
final class ProbeOutput {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"([^\"]*)\"|\\S+)");

    /** One line of key=value fields, after its kind (program, event, workload, ...). */
    record Line(String kind, String name, Map<String, String> fields, String text) {
        String get(String key) {
            return fields.get(key);
        }

        long number(String key) {
            String value = fields.get(key);
            if (value == null) {
                throw new IllegalStateException("no " + key + " in: " + text);
            }
            return Long.parseLong(value);
        }

        boolean has(String key, Object value) {
            return String.valueOf(value).equals(fields.get(key));
        }
    }

    /** A program, its section, its state (loaded, rejected) and the attach point used instead. */
    record Program(String name, String section, String state, String attachedAt, String error) {}

    final String text;
    final Map<String, Program> programs = new LinkedHashMap<>();
    final Map<String, String> verifierLogs = new LinkedHashMap<>();
    final List<String> attached = new ArrayList<>();
    final List<Line> events = new ArrayList<>();
    /** CollectorInGuest's account of the collector: "unavailable" and "limited" lines. */
    final List<Line> collector = new ArrayList<>();

    final List<Line> workload = new ArrayList<>();
    final List<String> malformed = new ArrayList<>();
    /** tapio_stats summed over CPUs: "type reason" to count. */
    final Map<String, Long> stats = new LinkedHashMap<>();

    private ProbeOutput(String text) {
        this.text = text;
    }

    static ProbeOutput parse(String text) {
        ProbeOutput out = new ProbeOutput(text);
        String log = null;
        StringBuilder logText = new StringBuilder();
        for (String line : text.split("\n")) {
            if (log != null) {
                if (line.equals("verifier-log " + log + " end")) {
                    out.verifierLogs.put(log, logText.toString());
                    log = null;
                    logText.setLength(0);
                } else {
                    logText.append(line).append('\n');
                }
                continue;
            }
            String[] words = line.split(" ", 4);
            switch (words[0]) {
                case "verifier-log" -> {
                    if (words.length >= 3 && words[2].equals("begin")) {
                        log = words[1];
                    }
                }
                case "program" -> {
                    if (words.length < 4) {
                        continue;
                    }
                    String state = words[3].split(" ")[0];
                    if (state.equals("attached")) {
                        out.attached.add(words[1]);
                    } else if (state.equals("loaded") || state.equals("rejected")) {
                        Map<String, String> fields = fields(line);
                        out.programs.put(
                                words[1],
                                new Program(words[1], words[2], state, fields.get("at"), fields.get("error")));
                    }
                }
                case "event" -> out.events.add(new Line("event", words[1], fields(line), line));
                case "workload:" -> out.workload.add(new Line("workload", words[1], fields(line), line));
                case "collector" -> out.collector.add(new Line("collector", words[1], fields(line), line));
                case "malformed" -> out.malformed.add(line);
                case "stats" -> {
                    String[] s = line.split(" ");
                    if (s.length == 4) {
                        out.stats.put(s[1] + " " + s[2], Long.parseLong(s[3]));
                    }
                }
                default -> {}
            }
        }
        return out;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return fields;
    }

    /** The collector's {@code kind} lines (unavailable, limited): the {@code field} of each, by type. */
    Map<String, String> collector(String kind, String field) {
        return collector.stream()
                .filter(l -> l.name().equals(kind))
                .collect(Collectors.toMap(l -> l.get("type"), l -> l.get(field)));
    }

    /** The workload step's line (what it did, with the values to expect). */
    Line step(String name) {
        return workload.stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the workload did not run its " + name + " step:\n" + text));
    }

    List<Line> events(String type, Predicate<Line> filter) {
        return events.stream().filter(e -> e.name().equals(type)).filter(filter).toList();
    }

    Optional<Line> event(String type, Predicate<Line> filter) {
        return events(type, filter).stream().findFirst();
    }

    long stat(String type, String reason) {
        return stats.getOrDefault(type + " " + reason, 0L);
    }

    /** Every event of the type, for a failure message. */
    String seen(String type) {
        List<Line> of = events(type, e -> true);
        return of.isEmpty()
                ? "no " + type + " event at all"
                : of.size() + " " + type + " events:\n"
                        + of.stream().map(Line::text).collect(Collectors.joining("\n"));
    }
}
