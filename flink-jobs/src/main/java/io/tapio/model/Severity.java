package io.tapio.model;

import java.util.Locale;

/** How urgent a finding is. Ordered: a later constant is more severe. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
