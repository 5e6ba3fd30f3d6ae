package io.troupe.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @Test
    void shouldWriteLatencyChartAsPngOfTheChartSizeWhenGivenPercentilesPerSystem(@TempDir Path dir)
            throws Exception {
        Map<String, double[]> p = new LinkedHashMap<>();
        p.put("troupe", new double[] {9.8, 70, 160, 900, 4200});
        p.put("aeron-raw", new double[] {2.8, 84, 110, 400, 2500});
        Path file = Charts.latencyPercentiles(dir.resolve("charts/latency.png"), "Round trip", p);
        assertDrawnPng(file);
    }

    @Test
    void shouldWriteThroughputChartOnLinearAndOnLogAxisWhenRangesDiffer(@TempDir Path dir)
            throws Exception {
        Map<String, Double> close = new LinkedHashMap<>();
        close.put("troupe", 2.5e6);
        close.put("kryo-aeron", 3.0e6);
        assertDrawnPng(Charts.throughput(dir.resolve("linear.png"), "One-way", close));
        Map<String, Double> far = new LinkedHashMap<>(close);
        far.put("akka-artery", 137e3);
        assertDrawnPng(Charts.throughput(dir.resolve("log.png"), "One-way", far));
    }

    @Test
    void shouldWriteFanInChartWhenSystemsHaveDifferentSenderCounts(@TempDir Path dir)
            throws Exception {
        Map<String, Map<Integer, Double>> f = new LinkedHashMap<>();
        f.put("troupe", Map.of(1, 2.5e6, 2, 2.2e6, 4, 1.9e6));
        f.put("akka-artery", Map.of(1, 137e3, 4, 140e3));
        assertDrawnPng(Charts.fanIn(dir.resolve("fan-in.png"), "Fan-in", f));
    }

    @Test
    void shouldRejectZeroOnLogAxisNamingTheSystemAndPercentileWhenGivenOne(@TempDir Path dir) {
        Map<String, double[]> p = Map.of("troupe", new double[] {0, 70, 160, 900, 4200});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Charts.latencyPercentiles(dir.resolve("bad.png"), "Round trip", p));
        assertTrue(e.getMessage().contains("troupe p50 is 0.0"), e.getMessage());
        assertTrue(
                !dir.resolve("bad.png").toFile().exists(),
                "nothing may be written for a bad input");
    }

    @Test
    void shouldRejectWrongPercentileCountWhenAnArrayIsShort(@TempDir Path dir) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Charts.latencyPercentiles(
                                        dir.resolve("bad.png"),
                                        "t",
                                        Map.of("aeron-raw", new double[] {1, 2})));
        assertTrue(e.getMessage().contains("'aeron-raw' has 2 values; expected 5"), e.getMessage());
    }

    @Test
    void shouldRejectEmptyInputWhenThereIsNoSystem(@TempDir Path dir) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Charts.throughput(dir.resolve("bad.png"), "t", Map.of()));
        assertTrue(e.getMessage().contains("no systems to draw"), e.getMessage());
    }

    /**
     * A PNG that ImageIO reads back, of the charts' size, with the series' colours drawn on white.
     */
    private static void assertDrawnPng(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not an image ImageIO can read");
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 10, file + " looks blank: " + colours.size() + " colours");
    }
}
