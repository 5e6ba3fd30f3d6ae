package io.troupe.benchmarks.report;

import io.troupe.benchmarks.jmh.Payload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns a run of {@code CodecBenchmark} into rows that set each Troupe figure beside naive Kryo's
 * from the same run: one row per operation and payload, with both encoded sizes and the ratio
 * Troupe/Kryo (above 1 means Troupe is faster).
 *
 * <p>Benchmark methods are paired by name: {@code xxxTroupe} with {@code xxxKryo}; the scenario is
 * {@code xxx} in kebab case plus the payload, e.g. {@code encode-array-medium}.
 *
 * <p>Thread safety: immutable once built.
 */
public final class CodecTable {
    private static final String TROUPE = "Troupe";
    private static final String KRYO = "Kryo";
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /**
     * One system's figure: throughput, its 99.9% confidence half-width (NaN if unknown), bytes
     * allocated per op (NaN if not profiled).
     */
    public record Figure(double opsPerSecond, double error, double allocatedBytesPerOp) {}

    /** One scenario, both systems. */
    public record Row(
            String scenario,
            String operation,
            Payload payload,
            int troupeBytes,
            int kryoBytes,
            Figure troupe,
            Figure kryo) {
        public double ratio() {
            return troupe.opsPerSecond() / kryo.opsPerSecond();
        }
    }

    private final List<Row> rows;
    private final BenchmarkParams params;

    private CodecTable(List<Row> rows, BenchmarkParams params) {
        this.rows = List.copyOf(rows);
        this.params = params;
    }

    /**
     * Pairs the results.
     *
     * @param sizes encoded size of each payload per system, keyed {@code "troupe"} and {@code
     *     "kryo"}
     * @throws IllegalArgumentException if a Troupe result has no Kryo partner or the other way
     *     round
     */
    public static CodecTable of(
            Collection<RunResult> results, Map<String, Map<Payload, Integer>> sizes) {
        Map<String, Figure> troupe = new HashMap<>();
        Map<String, Figure> kryo = new HashMap<>();
        BenchmarkParams params = null;
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            params = params == null ? p : params;
            String method = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            String key =
                    p.getParam("payload")
                            + "/"
                            + method.replaceFirst("(" + TROUPE + "|" + KRYO + ")$", "");
            Figure f = figure(r);
            if (method.endsWith(TROUPE)) {
                troupe.put(key, f);
            } else if (method.endsWith(KRYO)) {
                kryo.put(key, f);
            } else {
                throw new IllegalArgumentException(
                        "Benchmark " + p.getBenchmark() + " is neither xxxTroupe nor xxxKryo");
            }
        }
        if (!troupe.keySet().equals(kryo.keySet())) {
            throw new IllegalArgumentException(
                    "Unpaired codec results: Troupe measured "
                            + troupe.keySet()
                            + ", naive Kryo "
                            + kryo.keySet()
                            + "; each xxxTroupe benchmark needs its xxxKryo baseline in the same run");
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Figure> e : troupe.entrySet()) {
            String[] parts = e.getKey().split("/", 2);
            Payload payload = Payload.valueOf(parts[0]);
            String operation = kebab(parts[1]);
            rows.add(
                    new Row(
                            operation + "-" + payload.name().toLowerCase(Locale.ROOT),
                            operation,
                            payload,
                            sizes.get("troupe").get(payload),
                            sizes.get("kryo").get(payload),
                            e.getValue(),
                            kryo.get(e.getKey())));
        }
        rows.sort(
                Comparator.comparing((Row r) -> r.payload().ordinal())
                        .thenComparing(r -> operationOrder(r.operation())));
        return new CodecTable(rows, params);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The table, then the JVM, its flags and the JMH settings the figures were taken with. */
    public String render() {
        boolean alloc =
                rows.stream().anyMatch(r -> !Double.isNaN(r.troupe().allocatedBytesPerOp()));
        StringBuilder sb = new StringBuilder();
        sb.append(
                "Troupe MessageCodec vs naive Kryo 5.6.2, same run, ops/s (higher is better; ± is the 99.9% CI)\n");
        String header =
                String.format(
                        Locale.ROOT,
                        "%-22s %13s  %22s  %22s  %11s",
                        "scenario",
                        "bytes T/K",
                        "Troupe ops/s",
                        "naive Kryo ops/s",
                        "Troupe/Kryo");
        if (alloc) {
            header += String.format(Locale.ROOT, "  %10s %10s", "T B/op", "K B/op");
        }
        sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-22s %13s  %22s  %22s  %10.2fx",
                            r.scenario(),
                            r.troupeBytes() + " / " + r.kryoBytes(),
                            ops(r.troupe()),
                            ops(r.kryo()),
                            r.ratio()));
            if (alloc) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %10.1f %10.1f",
                                r.troupe().allocatedBytesPerOp(),
                                r.kryo().allocatedBytesPerOp()));
            }
            sb.append('\n');
        }
        if (params != null) {
            sb.append(environment(params));
        }
        return sb.toString();
    }

    /** Adds one measurement per row and system. */
    public void addTo(JsonReport report) {
        for (Row r : rows) {
            put(report, r, "troupe", r.troupeBytes(), r.troupe(), r.ratio());
            put(report, r, "naive-kryo", r.kryoBytes(), r.kryo(), 1.0);
        }
    }

    private void put(JsonReport report, Row r, String system, int bytes, Figure f, double ratio) {
        Map<String, Object> m = report.add(r.scenario(), system, bytes);
        m.put("ops_per_s", f.opsPerSecond());
        m.put("ops_per_s_error", f.error());
        m.put("ratio_to_naive_kryo", ratio);
        if (!Double.isNaN(f.allocatedBytesPerOp())) {
            m.put("alloc_bytes_per_op", f.allocatedBytesPerOp());
        }
        if (params != null) {
            m.put("jvm", params.getVmName() + " " + params.getVmVersion());
            m.put("jvm_args", String.join(" ", params.getJvmArgs()));
            m.put("forks", params.getForks());
            m.put("iterations", params.getMeasurement().getCount());
            m.put("iteration_time", params.getMeasurement().getTime().toString());
        }
    }

    /** JVM, flags and JMH settings, shared by every table built from JMH results. */
    public static String environment(BenchmarkParams p) {
        String flags = p.getJvmArgs().isEmpty() ? "(none)" : String.join(" ", p.getJvmArgs());
        return String.format(
                Locale.ROOT,
                "JVM: %s %s, JDK %s (%s)%nFlags: %s%nJMH %s: %s, %d fork(s), warmup %d x %s, measurement %d x %s,"
                        + " %d thread(s), %d cores available to this host%n",
                p.getVmName(),
                p.getVmVersion(),
                p.getJdkVersion(),
                p.getJvm(),
                flags,
                p.getJmhVersion(),
                p.getMode().longLabel(),
                p.getForks(),
                p.getWarmup().getCount(),
                p.getWarmup().getTime(),
                p.getMeasurement().getCount(),
                p.getMeasurement().getTime(),
                p.getThreads(),
                Runtime.getRuntime().availableProcessors());
    }

    private static Figure figure(RunResult r) {
        Result<?> primary = r.getPrimaryResult();
        double alloc = Double.NaN;
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(ALLOC_NORM)) {
                alloc = e.getValue().getScore();
            }
        }
        return new Figure(primary.getScore(), primary.getScoreError(), alloc);
    }

    private static String ops(Figure f) {
        String score = String.format(Locale.ROOT, "%,.0f", f.opsPerSecond());
        if (Double.isNaN(f.error()) || f.opsPerSecond() <= 0) {
            return score;
        }
        return String.format(Locale.ROOT, "%s ± %.1f%%", score, 100 * f.error() / f.opsPerSecond());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static int operationOrder(String operation) {
        return switch (operation) {
            case "encode" -> 0;
            case "encode-array" -> 1;
            case "decode" -> 2;
            default -> 3;
        };
    }
}
