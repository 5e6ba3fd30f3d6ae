package io.troupe.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of the {@code remote} harness's figures, drawn with XChart, headless (no display
 * needed: {@code java.awt.headless} is set to true before AWT loads, unless the caller set it).
 * Inputs are plain maps keyed by system label, in the caller's order (use a {@link
 * java.util.LinkedHashMap} to choose it):
 *
 * <ul>
 *   <li>{@link #latencyPercentiles}: p50, p90, p99, p99.9 and max in µs per system, grouped bars on
 *       a log axis;
 *   <li>{@link #throughput}: msgs/s per system, bars, on a log axis when the largest is more than
 *       {@value #LOG_SCALE_RATIO} times the smallest;
 *   <li>{@link #fanIn}: msgs/s against the number of senders per system, lines.
 * </ul>
 *
 * Every value plotted on a log axis must be above zero; a bad input fails with the system and value
 * named, before anything is written.
 *
 * <p>Thread safety: stateless; each call builds its own chart. AWT's font and rendering set-up is
 * thread-safe.
 */
public final class Charts {
    /** Every chart's size in pixels. */
    public static final int WIDTH = 960;

    public static final int HEIGHT = 560;

    /** The percentiles {@link #latencyPercentiles} expects, in this order. */
    public static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

    /** {@link #throughput} switches to a log axis above this max/min ratio. */
    public static final double LOG_SCALE_RATIO = 20.0;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {}

    /**
     * Latency percentiles per system: one group of bars per percentile (p50, p90, p99, p99.9, max),
     * one colour per system, so the systems stand side by side at each percentile; log µs axis.
     *
     * @param file the PNG to write (parent directories are created)
     * @param title the chart's title, e.g. "Round trip, 32-byte messages, 2 cores"
     * @param percentiles per system label, {@link #PERCENTILES} in µs, each above 0
     * @return {@code file}
     */
    public static Path latencyPercentiles(
            Path file, String title, Map<String, double[]> percentiles) {
        requireSeries(percentiles, "latencyPercentiles");
        for (Map.Entry<String, double[]> e : percentiles.entrySet()) {
            double[] v = e.getValue();
            if (v == null || v.length != PERCENTILES.size()) {
                throw new IllegalArgumentException(
                        "latencyPercentiles: system '"
                                + e.getKey()
                                + "' has "
                                + (v == null ? "null" : v.length + " values")
                                + "; expected "
                                + PERCENTILES.size()
                                + " ("
                                + PERCENTILES
                                + ", in µs)");
            }
            for (int i = 0; i < v.length; i++) {
                requirePositive(v[i], "latencyPercentiles", e.getKey() + " " + PERCENTILES.get(i));
            }
        }
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("percentile")
                        .yAxisTitle("round trip (µs, log scale)")
                        .build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        double min =
                percentiles.values().stream().flatMapToDouble(Arrays::stream).min().orElseThrow();
        double max =
                percentiles.values().stream().flatMapToDouble(Arrays::stream).max().orElseThrow();
        logRange(chart.getStyler(), min, max);
        for (Map.Entry<String, double[]> e : percentiles.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (double d : e.getValue()) {
                ys.add(d);
            }
            chart.addSeries(e.getKey(), PERCENTILES, ys);
        }
        return write(chart, file);
    }

    /**
     * Throughput per system: one bar each, labelled with its value; log axis when the values differ
     * by more than {@value #LOG_SCALE_RATIO} times.
     *
     * @param msgsPerSecond per system label, above 0
     * @return {@code file}
     */
    public static Path throughput(Path file, String title, Map<String, Double> msgsPerSecond) {
        requireSeries(msgsPerSecond, "throughput");
        msgsPerSecond.forEach((system, v) -> requirePositive(v, "throughput", system));
        double max =
                msgsPerSecond.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElseThrow();
        double min =
                msgsPerSecond.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .min()
                        .orElseThrow();
        boolean log = max / min > LOG_SCALE_RATIO;
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("system")
                        .yAxisTitle("messages per second" + (log ? " (log scale)" : ""))
                        .build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(log);
        if (log) {
            logRange(chart.getStyler(), min, max);
        }
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(true); // white on a dark bar
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.addSeries(
                "msgs/s",
                new ArrayList<>(msgsPerSecond.keySet()),
                new ArrayList<>(msgsPerSecond.values()));
        return write(chart, file);
    }

    /**
     * Fan-in throughput against the number of senders, one line per system; a system need not have
     * every sender count.
     *
     * @param msgsPerSecondBySenders per system label, msgs/s (above 0) per number of senders
     * @return {@code file}
     */
    public static Path fanIn(
            Path file, String title, Map<String, Map<Integer, Double>> msgsPerSecondBySenders) {
        requireSeries(msgsPerSecondBySenders, "fanIn");
        TreeSet<Integer> senders = new TreeSet<>();
        for (Map.Entry<String, Map<Integer, Double>> e : msgsPerSecondBySenders.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException(
                        "fanIn: system '"
                                + e.getKey()
                                + "' has no figures; give it at least one (senders -> msgs/s)");
            }
            e.getValue()
                    .forEach(
                            (n, v) -> {
                                if (n == null || n < 1) {
                                    throw new IllegalArgumentException(
                                            "fanIn: system '"
                                                    + e.getKey()
                                                    + "' has a sender count of "
                                                    + n
                                                    + "; counts start at 1");
                                }
                                requirePositive(v, "fanIn", e.getKey() + " with " + n + " senders");
                            });
            senders.addAll(e.getValue().keySet());
        }
        double max =
                msgsPerSecondBySenders.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElseThrow();
        double min =
                msgsPerSecondBySenders.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToDouble(Double::doubleValue)
                        .min()
                        .orElseThrow();
        boolean log = max / min > LOG_SCALE_RATIO;
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("senders (one process each)")
                        .yAxisTitle(
                                "messages per second, all senders" + (log ? " (log scale)" : ""))
                        .build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisMin(senders.first() - 0.25);
        chart.getStyler().setXAxisMax(senders.last() + 0.25);
        chart.getStyler().setMarkerSize(9);
        if (log) {
            logRange(chart.getStyler(), min, max);
        } else {
            chart.getStyler().setYAxisMin(0.0);
        }
        for (Map.Entry<String, Map<Integer, Double>> e : msgsPerSecondBySenders.entrySet()) {
            TreeSet<Integer> xs = new TreeSet<>(e.getValue().keySet());
            List<Integer> x = new ArrayList<>(xs);
            List<Double> y = new ArrayList<>();
            xs.forEach(n -> y.add(e.getValue().get(n)));
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return write(chart, file);
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setAxisTitlePadding(8);
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }

    /**
     * A log axis from the decade at or below {@code min} to the decade at or above {@code max}:
     * XChart starts bars at 0 unless told otherwise, which a log axis cannot show.
     */
    private static void logRange(AxesChartStyler s, double min, double max) {
        s.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        s.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
    }

    private static void requireSeries(Map<String, ?> series, String chart) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException(
                    chart + ": no systems to draw; give at least one (system label -> figures)");
        }
        for (String label : series.keySet()) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException(
                        chart
                                + ": a system label is "
                                + (label == null ? "null" : "blank")
                                + "; every series needs a name");
            }
        }
    }

    private static void requirePositive(Double v, String chart, String what) {
        if (v == null || !(v > 0) || v.isInfinite()) {
            throw new IllegalArgumentException(
                    chart
                            + ": "
                            + what
                            + " is "
                            + v
                            + "; figures must be finite and above 0 "
                            + "(a log axis cannot show 0: leave a system out rather than give it 0)");
        }
    }

    private static Path write(Chart<?, ?> chart, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot write the chart '" + chart.getTitle() + "' to " + file, e);
        }
    }
}
