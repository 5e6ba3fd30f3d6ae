package io.troupe.core;

import java.util.List;

/**
 * A message type, or a value inside a message, is not immutable (or not a closed protocol), so it
 * may not be sent between actors. The message lists every violation found, each with the class, the
 * component, why it is mutable and how to fix it.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public final class ProtocolViolationException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final List<String> violations;

    public ProtocolViolationException(String header, List<String> violations) {
        super(format(header, violations));
        this.violations = List.copyOf(violations);
    }

    /** Each violation found, one sentence each, in the order they were found. */
    public List<String> violations() {
        return violations;
    }

    private static String format(String header, List<String> violations) {
        if (violations.size() == 1) {
            return header + ": " + violations.get(0);
        }
        StringBuilder sb =
                new StringBuilder(header)
                        .append(": ")
                        .append(violations.size())
                        .append(" problems");
        for (String v : violations) {
            sb.append("\n  - ").append(v);
        }
        return sb.toString();
    }
}
