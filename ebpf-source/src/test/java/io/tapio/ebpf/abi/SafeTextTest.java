package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.testing.Fuzz;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a person sees of a name a process chose: every character visible, nothing that drives a terminal. */
class SafeTextTest {
    @Test
    void terminalControlsAreShownAsTheirCodes() {
        assertEquals("\\x1b[31mred\\x1b[0m", SafeText.of("\u001b[31mred\u001b[0m"));
        assertEquals("\\x1b]0;pwned\\x07", SafeText.of("\u001b]0;pwned\u0007"));
        assertEquals("a\\nb\\rc\\td\\x00e\\x7f", SafeText.of("a\nb\rc\td\u0000e\u007f"));
        assertEquals("\\u009b31m", SafeText.of("\u009b31m"), "C1's one-character CSI");
        assertEquals("\\u0085", SafeText.of("\u0085"), "C1's next line");
    }

    @Test
    void bidiAndInvisibleCharactersAreShownAsTheirCodes() {
        assertEquals("invoice-\\u202egpj.exe", SafeText.of("invoice-\u202egpj.exe"));
        assertEquals("\\u2066x\\u2069 \\u200b \\u2028 \\ufeff", SafeText.of("\u2066x\u2069 \u200b \u2028 \ufeff"));
        assertEquals("\\U000e0041", SafeText.of(new String(Character.toChars(0xE0041))), "a tag character");
        assertEquals("\\ud800x", SafeText.of("\ud800x"), "an unpaired surrogate");
    }

    @Test
    void printableTextOfAnyScriptIsLeftAsItIs() {
        String text = "payments-7f9c / café 日本 \uD83D\uDE80 Ωmega";
        assertSame(text, SafeText.of(text));
        assertEquals("null", SafeText.of(null));
    }

    @Test
    void longTextIsCutWithAnEllipsisAndItsLengthButEscapedWhole() {
        String path = "/" + "a".repeat(999) + "\n";
        assertEquals("/" + "a".repeat(SafeText.MAX_CODE_POINTS - 1) + "…(1001 chars)", SafeText.of(path));
        assertEquals("/" + "a".repeat(999) + "\\n", SafeText.escape(path));
        String exactly = "b".repeat(SafeText.MAX_CODE_POINTS);
        assertSame(exactly, SafeText.of(exactly));
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAsTheirValues() {
        assertEquals("f\\xffo\\xc3", decode("66ff6fc3"), "a stray byte, a sequence cut short");
        assertEquals("\\xc0\\xaf", decode("c0af"), "an over-long slash");
        assertEquals("\\xed\\xa0\\x80", decode("eda080"), "a surrogate in UTF-8");
        assertEquals("\u001b[31m\u00e9\ufffd", decode("1b5b33316dc3a9efbfbd"), "controls and U+FFFD itself are text");
    }

    @Test
    void aRecordsPathKeepsItsBytesAndItsControlCharacters() {
        String path = "/tmp/\u001b[31mZ\nx";
        byte[] record = KernelEvent.of(
                        new EventSubject(1, 0, 7, 7, 1, "app"), new OpenFailed(OpenFailed.ENOENT, 0, path))
                .toByteArray();
        int z = (int) Layouts.offset(OpenFailed.LAYOUT, "path") + path.indexOf('Z');
        record[z] = (byte) 0xff; // the kernel's bytes, which no Java string holds
        String decoded = KernelEvent.of(record).payload(OpenFailed.class).path();

        assertEquals("/tmp/\u001b[31m\\xff\nx", decoded);
        assertEquals("/tmp/\\x1b[31m\\xff\\nx", SafeText.of(decoded));
    }

    /** Reversible enough: without backslashes in the input, the codes give back every byte and character. */
    @Test
    void theCodesGiveBackWhatTheyStandFor() {
        Fuzz.ofBytes("escaped text", random -> {
                    byte[] bytes = new byte[random.nextInt(64)];
                    random.nextBytes(bytes);
                    return bytes;
                })
                .check(bytes -> {
                    byte[] plain = withoutBackslashes(bytes);
                    String decoded = SafeText.decode(plain, 0, plain.length);
                    String shown = SafeText.escape(decoded);
                    assertTrue(shown.codePoints().noneMatch(SafeText::isUnsafe), shown);
                    assertArrayEquals(plain, unescape(shown));
                    return shown.equals(new String(plain, StandardCharsets.UTF_8)) ? "plain" : "escaped";
                });
        Fuzz.of("escaped strings", SafeTextTest::anyString).check(text -> {
            String plain = text.replace("\\", "");
            String shown = SafeText.escape(plain);
            assertTrue(shown.codePoints().noneMatch(SafeText::isUnsafe), shown);
            assertEquals(
                    new String(unescape(shown), StandardCharsets.UTF_8),
                    new String(plain.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            return "checked";
        });
    }

    private static String anyString(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(32); i > 0; i--) {
            text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x300));
        }
        return text.toString();
    }

    private static byte[] withoutBackslashes(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b != '\\') {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** What a person reading the codes would type back: each code as its byte or character, in UTF-8. */
    private static byte[] unescape(String shown) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < shown.length(); ) {
            if (shown.charAt(i) != '\\') {
                int c = shown.codePointAt(i);
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
                continue;
            }
            char kind = shown.charAt(i + 1);
            int length = switch (kind) {
                case 'x' -> 4;
                case 'u' -> 6;
                case 'U' -> 10;
                default -> 2;
            };
            switch (kind) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> out.write(Integer.parseInt(shown.substring(i + 2, i + 4), 16));
                default -> {
                    int c = Integer.parseInt(shown.substring(i + 2, i + length), 16);
                    out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                }
            }
            i += length;
        }
        return out.toByteArray();
    }

    private static String decode(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return SafeText.decode(bytes, 0, bytes.length);
    }
}
