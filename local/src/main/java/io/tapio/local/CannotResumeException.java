package io.tapio.local;

import java.io.Serial;

/**
 * The data directory's last checkpoint cannot be resumed by this run: it is of another job (another
 * source or history), or it cannot be read. Refused before the job starts, with the way out.
 */
public final class CannotResumeException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    CannotResumeException(String message) {
        super(message);
    }

    CannotResumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
