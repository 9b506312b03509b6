package io.tapio.ebpf.testing;

import io.tapio.testing.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BTF of a compiled BPF object, as {@code bpftool btf dump file OBJ} prints it: structs
 * with their members' offsets and sizes, and enums with their values.
 */
public final class BtfDump {
    private static final Pattern TYPE = Pattern.compile("^\\[(\\d+)] (\\w+) '([^']*)'(.*)$");
    private static final Pattern MEMBER = Pattern.compile("^\\s+'(\\w+)' type_id=(\\d+) bits_offset=(\\d+)");
    private static final Pattern ENUMERATOR = Pattern.compile("^\\s+'(\\w+)' val=(-?\\d+)");
    private static final Pattern SECTION_VARIABLE = Pattern.compile("^\\s+type_id=\\d+ .*\\(VAR '(\\w+)'\\)");

    /** A struct member: byte offset and size. */
    public record Member(String name, long offset, long size) {}

    private record Type(String kind, String name, Map<String, Long> attributes, List<String[]> lines) {}

    private final Map<Integer, Type> types = new HashMap<>();

    private BtfDump(String dump) {
        Type current = null;
        for (String line : dump.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                current = new Type(type.group(2), type.group(3), attributes(type.group(4)), new ArrayList<>());
                types.put(Integer.parseInt(type.group(1)), current);
                continue;
            }
            Matcher member = MEMBER.matcher(line);
            Matcher enumerator = ENUMERATOR.matcher(line);
            Matcher variable = SECTION_VARIABLE.matcher(line);
            if (current != null && variable.find()) {
                current.lines().add(new String[] {variable.group(1)});
            } else if (current != null && member.find()) {
                current.lines().add(new String[] {member.group(1), member.group(2), member.group(3)});
            } else if (current != null && enumerator.find()) {
                current.lines().add(new String[] {enumerator.group(1), enumerator.group(2)});
            }
        }
    }

    /** Dumps the BTF of an object found on the class path. */
    public static BtfDump ofResource(String resource) {
        try (InputStream in = BtfDump.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            Path object = Files.createTempFile("tapio-btf", ".o");
            try {
                Files.write(object, in.readAllBytes());
                return new BtfDump(Commands.check(bpftool(), "btf", "dump", "file", object.toString()));
            } finally {
                Files.delete(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bpftool() {
        Path sbin = Path.of("/usr/sbin/bpftool");
        return Files.isExecutable(sbin) ? sbin.toString() : "bpftool";
    }

    public List<Member> struct(String name) {
        Type struct = named("STRUCT", name);
        List<Member> members = new ArrayList<>();
        for (String[] m : struct.lines()) {
            members.add(new Member(m[0], Long.parseLong(m[2]) / 8, size(Integer.parseInt(m[1]))));
        }
        return members;
    }

    public long structSize(String name) {
        return named("STRUCT", name).attributes().get("size");
    }

    public Map<String, Long> enumValues(String name) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String[] e : named("ENUM", name).lines()) {
            values.put(e[0], Long.parseLong(e[1]));
        }
        return values;
    }

    /** The names of the object's functions: its programs. */
    public List<String> functions() {
        return types.values().stream()
                .filter(t -> t.kind().equals("FUNC"))
                .map(Type::name)
                .toList();
    }

    /** The names of the variables in a data section, such as {@code .maps}. */
    public List<String> variables(String section) {
        return named("DATASEC", section).lines().stream().map(v -> v[0]).toList();
    }

    private Type named(String kind, String name) {
        return types.values().stream()
                .filter(t -> t.kind().equals(kind) && t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the object's BTF has no " + kind + " " + name));
    }

    private long size(int id) {
        Type t = types.get(id);
        return switch (t.kind()) {
            case "INT", "STRUCT", "UNION", "ENUM", "ENUM64" -> t.attributes().get("size");
            case "TYPEDEF", "CONST", "VOLATILE", "RESTRICT" ->
                size(t.attributes().get("type_id").intValue());
            case "ARRAY" ->
                t.attributes().get("nr_elems")
                        * size(t.attributes().get("type_id").intValue());
            case "PTR" -> 8;
            default -> throw new IllegalStateException("no size for BTF kind " + t.kind());
        };
    }

    private static Map<String, Long> attributes(String text) {
        Map<String, Long> attributes = new HashMap<>();
        for (String pair : text.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(eq + 1).matches("-?\\d+")) {
                attributes.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return attributes;
    }
}
