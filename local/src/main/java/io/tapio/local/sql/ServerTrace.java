package io.tapio.local.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The exception behind an error the SQL Gateway answers with, read back from the stack trace it
 * sends as text ("&lt;Exception on server side: ... End of exception on server side&gt;"): each
 * exception of the chain, outermost first, with its message, which may span lines.
 */
record ServerTrace(List<Thrown> chain) {
    /** One exception of the chain: its class's name and its message (null when it has none). */
    record Thrown(String type, String message) {}

    private static final String CAUSED_BY = "Caused by: ";

    static ServerTrace parse(String text) {
        List<Thrown> chain = new ArrayList<>();
        StringBuilder header = null;
        for (String line : text.replace("<Exception on server side:\n", "")
                .replace("\nEnd of exception on server side>", "")
                .split("\n", -1)) {
            if (line.startsWith(CAUSED_BY) || (chain.isEmpty() && header == null)) {
                add(chain, header);
                header = new StringBuilder(line.startsWith(CAUSED_BY) ? line.substring(CAUSED_BY.length()) : line);
            } else if (line.startsWith("\t")) {
                // A frame, "... n more", or a suppressed exception: the message has ended.
                add(chain, header);
                header = null;
            } else if (header != null) {
                header.append('\n').append(line);
            }
        }
        add(chain, header);
        return new ServerTrace(chain);
    }

    private static void add(List<Thrown> chain, StringBuilder header) {
        if (header == null) {
            return;
        }
        String text = header.toString();
        int colon = text.indexOf(": ");
        chain.add(colon < 0 ? new Thrown(text, null) : new Thrown(text.substring(0, colon), text.substring(colon + 2)));
    }

    /**
     * The messages from the first exception of Flink's table API on (the parser's, the validator's,
     * the planner's: what {@code tapio sql} reports of a statement run in its own process), or none
     * when the statement failed for another reason.
     */
    List<String> statementMessages() {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).type().startsWith(BadStatementException.TABLE_API)) {
                List<String> messages = new ArrayList<>();
                for (Thrown thrown : chain.subList(i, chain.size())) {
                    messages.add(messages.isEmpty() && thrown.message() == null ? thrown.type() : thrown.message());
                }
                return messages;
            }
        }
        return List.of();
    }

    /** The innermost exception, as Java prints it: what went wrong, at the bottom of it. */
    String rootCause() {
        Thrown root = chain.getLast();
        return root.message() == null ? root.type() : root.type() + ": " + root.message();
    }
}
