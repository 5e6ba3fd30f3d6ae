package io.troupe.benchmarks.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json FILE} output of every benchmark: a JSON array with one object per measurement,
 * one object per line, so that both {@code jq} and {@code grep} can read it. Every object has at
 * least {@code scenario}, {@code system} and {@code msg_bytes}, then the figures its kind of
 * benchmark measures ({@code ops_per_s}, {@code msgs_per_s}, {@code p50_us}, ..., {@code lost}).
 *
 * <p>Written by hand to keep the jar free of a JSON library: values are strings, numbers
 * (non-finite ones become {@code null}), booleans, null, or lists of these.
 *
 * <p>Thread safety: not thread-safe; fill and write it from one thread.
 */
public final class JsonReport {
    private final List<Map<String, Object>> measurements = new ArrayList<>();

    /** Starts a measurement; add fields to the returned map in the order they should appear. */
    public Map<String, Object> add(String scenario, String system, int msgBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("system", system);
        m.put("msg_bytes", msgBytes);
        measurements.add(m);
        return m;
    }

    public int size() {
        return measurements.size();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(render());
        }
    }

    public String render() {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < measurements.size(); i++) {
            sb.append("  {");
            boolean first = true;
            for (Map.Entry<String, Object> e : measurements.get(i).entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                string(sb, e.getKey());
                sb.append(": ");
                value(sb, e.getValue());
            }
            sb.append(i + 1 < measurements.size() ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isFinite(d) ? formatDouble(d) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                value(sb, list.get(i));
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", d);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
