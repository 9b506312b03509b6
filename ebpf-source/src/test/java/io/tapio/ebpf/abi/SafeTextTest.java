package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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

    private static String decode(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return SafeText.decode(bytes, 0, bytes.length);
    }
}
