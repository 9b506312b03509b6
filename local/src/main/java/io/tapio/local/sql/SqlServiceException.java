package io.tapio.local.sql;

import java.io.IOException;
import java.io.Serial;

/** The SQL service did not answer as it should: it stopped, or answered what a client cannot use. */
public final class SqlServiceException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    SqlServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    SqlServiceException(String message) {
        super(message);
    }
}
