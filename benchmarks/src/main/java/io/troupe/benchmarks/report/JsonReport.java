package io.troupe.benchmarks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * <p>Written and read with Jackson. Values are strings, numbers (non-finite ones become {@code
 * null}, fractions are rounded to 3 decimals), booleans, null, or lists of these.
 *
 * <p>Thread safety: not thread-safe; fill and write it from one thread. {@link #read} is stateless.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    /** The report as JSON text: an array, one measurement object per line. */
    public String render() {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < measurements.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            measurements.get(i).forEach((k, v) -> m.put(k, value(v)));
            try {
                sb.append("  ").append(MAPPER.writeValueAsString(m));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                        "Cannot write measurement " + measurements.get(i) + " as JSON: " + e, e);
            }
            sb.append(i + 1 < measurements.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    /**
     * Reads a report back: one map per measurement, keys in file order; numbers are {@link
     * Number}s, lists {@link List}s.
     *
     * @throws IOException the text is not a JSON array of objects
     */
    public static List<Map<String, Object>> read(String json) throws IOException {
        return MAPPER.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
    }

    private static Object value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return null;
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return (long) d;
            }
            return BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP);
        } else if (v instanceof List<?> list) {
            List<Object> values = new ArrayList<>(list.size());
            list.forEach(e -> values.add(value(e)));
            return values;
        } else if (v == null || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        return v.toString();
    }
}
