package io.tapio.local.sql;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement the planner refused: it does not parse, names what does not exist, or cannot be
 * planned. Its message is the planner's own words on one line, the same whichever engine ran it.
 */
public final class BadStatementException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Where a Flink SQL statement's own exceptions live (parser, validator, planner). */
    static final String TABLE_API = "org.apache.flink.table.api.";

    /** @param messages the planner's exception's message, then those of its causes, outermost first */
    BadStatementException(List<String> messages) {
        super(oneLine(messages));
    }

    static BadStatementException of(Throwable e) {
        List<String> messages = new ArrayList<>();
        messages.add(e.getMessage() == null ? e.toString() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            messages.add(cause.getMessage());
        }
        return new BadStatementException(messages);
    }

    /**
     * The message with each cause that adds something, without the hundred alternatives the
     * parser lists after "Was expecting one of".
     */
    private static String oneLine(List<String> messages) {
        String message = messages.getFirst();
        for (String cause : messages.subList(1, messages.size())) {
            if (cause == null || message.contains(cause)) {
                break;
            }
            message = message + ": " + cause;
        }
        int alternatives = message.indexOf("Was expecting");
        return (alternatives > 0 ? message.substring(0, alternatives) : message).strip();
    }
}
