package io.tapio.ebpf.abi;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Text that comes from outside Tapio, made safe to show: a process's name (comm), an
 * executable's or an opened file's path, a signal sender's name, a capture's node name, the
 * names the Kubernetes API gives. Any process can call itself {@code ESC]0;title BEL} or open
 * a path with a newline in it; printed as it is, that rewrites an operator's terminal, forges
 * a line of a log or a CSV row, or reverses the text around it (bidi overrides).
 *
 * <p><b>Where it applies.</b> Tapio keeps the faithful value everywhere data is kept: an event
 * is the kernel's bytes, and the history's tables hold what the process really called itself,
 * so that a query can find it and nothing is lost to an escaping scheme. It escapes at each
 * output, once, where text meets a screen, a log or a CSV cell: {@code tapio check} and the live
 * summary ({@code StatusView}), {@code tapio sql}'s table and CSV, the command line's tables,
 * and the log messages that quote such a value. JSON stays faithful too: its writers escape the
 * same characters the JSON way (&#92;u001b), so a program reads the real value and a
 * terminal that shows the JSON gets no control character.
 *
 * <p>The one exception is bytes that are not UTF-8, which no Java string (nor an Iceberg string
 * column) can hold: {@link #decode} writes each such byte as the four characters {@code \xNN}
 * instead of losing it to U+FFFD, in the form {@link #of} uses for control characters, so a
 * person reads every odd byte the same way. A name that really contains the text {@code \x1b}
 * reads like one with the byte; that ambiguity is accepted for text that is read by people.
 *
 * <p>Escaped (as {@code \n}, {@code \r}, {@code \t}, {@code \xNN} below U+0080, &#92;uNNNN
 * or {@code \UNNNNNNNN} above): control characters (C0, DEL and C1, which holds the one-byte
 * CSI), format characters (the bidi embeddings, overrides and isolates, zero-width
 * characters), the line and paragraph separators, and unpaired surrogates.
 */
public final class SafeText {
    /** Longer text is cut here, in code points of the original, with an ellipsis and the real length. */
    public static final int MAX_CODE_POINTS = 512;

    private static final HexFormat HEX = HexFormat.of();

    private SafeText() {}

    /**
     * The text for a person: escaped, and cut at {@link #MAX_CODE_POINTS} with {@code …(N
     * chars)}, N the original's length. {@code null} reads {@code null}.
     */
    public static String of(String text) {
        return render(text, MAX_CODE_POINTS);
    }

    /** Escaped but whole, for output that programs read too (a CSV cell). */
    public static String escape(String text) {
        return render(text, Integer.MAX_VALUE);
    }

    /** Whether {@link #of} escapes this code point. */
    public static boolean isUnsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    /**
     * The UTF-8 text of {@code length} bytes at {@code offset}; each byte that is not part of
     * well-formed UTF-8 as {@code \xNN}. Everything else, control characters included, is kept.
     */
    public static String decode(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text; // well-formed: the usual case, at the cost of one scan
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(4 * length); // a byte gives at most four characters
        for (CoderResult result = decoder.decode(in, out, true);
                !result.isUnderflow();
                result = decoder.decode(in, out, true)) {
            for (int i = 0; i < result.length(); i++) { // malformed: the input stands at its first byte
                out.put("\\x").put(HEX.toHexDigits(in.get()));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static String render(String text, int max) {
        if (text == null) {
            return "null";
        }
        int safeUpTo = 0;
        int codePoints = 0;
        while (safeUpTo < text.length() && codePoints < max) {
            int c = text.codePointAt(safeUpTo);
            if (isUnsafe(c)) {
                break;
            }
            safeUpTo += Character.charCount(c);
            codePoints++;
        }
        if (safeUpTo == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, safeUpTo);
        int i = safeUpTo;
        for (; i < text.length() && codePoints < max; codePoints++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (!isUnsafe(c)) {
                out.appendCodePoint(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x80) {
                        out.append("\\x").append(HEX.toHexDigits((byte) c));
                    } else if (c <= 0xFFFF) {
                        out.append("\\u").append(HEX.toHexDigits((char) c));
                    } else {
                        out.append("\\U").append(HEX.toHexDigits(c));
                    }
                }
            }
        }
        if (i < text.length()) {
            out.append("…(").append(text.codePointCount(0, text.length())).append(" chars)");
        }
        return out.toString();
    }
}
