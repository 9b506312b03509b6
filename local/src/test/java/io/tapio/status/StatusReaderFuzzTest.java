package io.tapio.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.testing.Fuzz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What {@code tapio check} parses, fuzzed ({@link Fuzz}; README, "Building and testing by
 * hand", for the long run): the status a run serves or leaves in its data directory, made from
 * the documented v1 document (the golden file) with a field replaced, removed or added, its
 * text damaged, or no JSON at all. The reader either refuses it with an IOException or returns
 * a status that check can filter, show and print as JSON, whose screen and JSON carry no
 * control character; and reading allocates in proportion to the text.
 */
class StatusReaderFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode GOLDEN = golden();
    /** ESC, the one-byte CSI, a bidi override, a line separator, DEL, and what JSON must escape or parse. */
    private static final String ODD = "\u001b\u009b\u202e\u2028\u007f{}[]\":,\\";

    @Test
    void aStatusIsReadWholeOrRefusedWithAnIoException() {
        Fuzz.of("status documents", StatusReaderFuzzTest::document)
                .describedBy(text -> text.length() + " chars: " + text)
                .allocatingAtMost(text -> 256 * 1024 + 64L * text.length())
                .reaching(List.of("read", "refused"))
                .check(StatusReaderFuzzTest::check);
    }

    /** What check does with a status: read it, keep the recent findings, show it, print it. */
    private static String check(String text) {
        TapioStatus status;
        try {
            status = StatusJson.read(text);
        } catch (IOException refused) {
            return "refused";
        }
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        TapioStatus shown = status.withFindings(status.findings().stream()
                .filter(f -> Instant.parse(f.lastSeen()).isAfter(from))
                .toList());
        status.stopped();
        String screen = StatusView.render(shown);
        String json = StatusJson.write(shown);
        assertTrue(screen.codePoints().allMatch(c -> c == '\n' || !SafeText.isUnsafe(c)), screen);
        assertTrue(json.codePoints().allMatch(c -> c == '\n' || !SafeText.isUnsafe(c)), json);
        return "read";
    }

    private static String document(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 ->
                new String(
                        Fuzz.damage(GOLDEN.toString().getBytes(StandardCharsets.UTF_8), random),
                        StandardCharsets.UTF_8);
            case 1 -> text(random, random.nextInt(64));
            default -> {
                JsonNode document = GOLDEN.deepCopy();
                for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                    change(document, random);
                }
                yield document.toString();
            }
        };
    }

    /** Replaces, removes or adds one member or element somewhere in the document. */
    private static void change(JsonNode document, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(document, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty() || random.nextInt(4) == 0) {
                object.set(text(random, 8), value(random));
            } else if (random.nextInt(3) == 0) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), value(random));
            }
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextBoolean()) {
                array.add(value(random));
            } else {
                array.set(random.nextInt(array.size()), value(random));
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collect(children.next(), containers);
            }
        }
    }

    private static JsonNode value(SplittableRandom random) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (random.nextInt(9)) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(random.nextBoolean());
            case 2 -> nodes.numberNode(random.nextLong());
            case 3 -> nodes.numberNode(random.nextDouble() * 1e6);
            case 4 ->
                nodes.textNode(
                        Instant.ofEpochSecond(random.nextLong(4_000_000_000L)).toString());
            case 5 -> nodes.arrayNode().add(random.nextInt(100)).add(text(random, 8));
            case 6 -> nodes.objectNode().put(text(random, 4), text(random, 8));
            default -> nodes.textNode(text(random, random.nextInt(40)));
        };
    }

    /** Text with control characters, escapes, bidi overrides, other scripts and JSON's own punctuation. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char)
                    switch (random.nextInt(6)) {
                        case 0 -> random.nextInt(0x20);
                        case 1 -> ODD.charAt(random.nextInt(ODD.length()));
                        case 2 -> random.nextInt(0x10000);
                        default -> random.nextInt('a', 'z' + 1);
                    });
        }
        return text.toString();
    }

    private static JsonNode golden() {
        try (InputStream in = StatusReaderFuzzTest.class.getResourceAsStream("status-v1.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
