package io.tapio.export;

/**
 * Text that leaves Tapio for another system's store (an Event's message, a log record): kernel
 * strings (a process's comm, a path) can hold control characters and any length, so line
 * breaks and other control characters become spaces and the text is cut to a bound, with an
 * ellipsis, never inside a surrogate pair.
 */
final class PlainText {
    private PlainText() {}

    static String of(String text, int maxChars) {
        StringBuilder plain = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            plain.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (plain.length() <= maxChars) {
            return plain.toString();
        }
        int end = maxChars - 1;
        if (Character.isHighSurrogate(plain.charAt(end - 1))) {
            end--;
        }
        return plain.substring(0, end) + "…";
    }
}
