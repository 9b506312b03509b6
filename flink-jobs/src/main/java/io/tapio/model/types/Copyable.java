package io.tapio.model.types;

/**
 * A mutable state value that copies itself, deeply where it is mutable, so that
 * {@link JavaSerializer#copy} needs no round trip through Java serialization. The heap state
 * backend copies a value it hands out while an asynchronous checkpoint still holds it: every
 * episode and rollup a busy job touches right after each checkpoint.
 *
 * @param <T> the value's own type
 */
public interface Copyable<T> {
    /** A copy that shares nothing mutable with this value. */
    T copy();
}
