package io.tapio.status;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.ebpf.abi.SafeText;
import java.util.HexFormat;

/**
 * JSON that keeps every value faithful and shows a terminal no control character: besides
 * JSON's own escapes (C0), each character {@link SafeText} escapes (DEL, C1, bidi and other
 * format characters, line separators) and every surrogate (so non-BMP format characters too)
 * is written as a &#92;u escape, which any JSON reader turns back into the character.
 */
public final class SafeJsonEscapes extends CharacterEscapes {
    private static final HexFormat HEX = HexFormat.of();

    private final int[] ascii;

    private SafeJsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7F] = ESCAPE_STANDARD;
    }

    /** Makes {@code mapper} write its JSON so; returns it. */
    public static ObjectMapper applyTo(ObjectMapper mapper) {
        mapper.getFactory().setCharacterEscapes(new SafeJsonEscapes());
        return mapper;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return SafeText.isUnsafe(ch) || Character.isSurrogate((char) ch)
                ? new SerializedString("\\u" + HEX.toHexDigits((char) ch))
                : null;
    }
}
