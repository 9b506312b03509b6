package io.tapio.ebpf.libbpf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The program that failed the load of a whole object, as libbpf's log names it, and why: the
 * verifier's verdict, or libbpf's own message when the program never reached the verifier.
 * libbpf stops at the first program the kernel refuses, so one load names at most one.
 *
 * @param name the program's name in the object
 * @param reason one line: the last line of the verifier's log that is not a statistic (for a
 *     CO-RE relocation this kernel cannot resolve, libbpf's rewrite of it), else libbpf's first
 *     message about the program
 */
public record RejectedProgram(String name, String reason) {
    private static final Pattern PROGRAM_MESSAGE = Pattern.compile("^libbpf: prog '([^']+)': (.*)$", Pattern.MULTILINE);
    private static final String LOG_BEGIN = "-- BEGIN PROG LOAD LOG --";
    private static final String LOG_END = "-- END PROG LOAD LOG --";
    /** What the verifier prints after its verdict. */
    private static final Pattern STATISTICS = Pattern.compile("^(processed \\d+ insns|verification time|stack depth)");

    /** The program a failed load's log names last, if it names one. */
    static Optional<RejectedProgram> in(String libbpfLog) {
        List<String[]> messages = new ArrayList<>(); // program, message
        Matcher m = PROGRAM_MESSAGE.matcher(libbpfLog);
        while (m.find()) {
            messages.add(new String[] {m.group(1), m.group(2)});
        }
        if (messages.isEmpty()) {
            return Optional.empty();
        }
        String name = messages.getLast()[0];
        String firstMessage = messages.stream()
                .filter(message -> message[0].equals(name))
                .findFirst()
                .orElseThrow()[1];
        return Optional.of(new RejectedProgram(name, verdict(libbpfLog, name).orElse(firstMessage)));
    }

    /** The verifier's last meaningful line about {@code name}, if libbpf printed its log. */
    private static Optional<String> verdict(String libbpfLog, String name) {
        String begin = "libbpf: prog '" + name + "': " + LOG_BEGIN;
        int start = libbpfLog.lastIndexOf(begin);
        if (start < 0) {
            return Optional.empty();
        }
        start += begin.length();
        int end = libbpfLog.indexOf(LOG_END, start);
        return libbpfLog
                .substring(start, end < 0 ? libbpfLog.length() : end)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !STATISTICS.matcher(line).lookingAt())
                .reduce((first, second) -> second);
    }
}
