package io.tapio.export;

import io.tapio.ebpf.abi.SafeText;

/**
 * Text that leaves Tapio for another system's store (an Event's message, a log record): kernel
 * strings (a process's comm, a path) can hold control characters and any length, so they are
 * escaped as everywhere Tapio shows them ({@link SafeText}) and the text is cut to the store's
 * bound, with an ellipsis, never inside a surrogate pair.
 */
final class PlainText {
    private PlainText() {}

    static String of(String text, int maxChars) {
        String plain = SafeText.escape(text);
        if (plain.length() <= maxChars) {
            return plain;
        }
        int end = maxChars - 1;
        if (Character.isHighSurrogate(plain.charAt(end - 1))) {
            end--;
        }
        return plain.substring(0, end) + "…";
    }
}
