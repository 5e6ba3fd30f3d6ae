package io.troupe.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.benchmarks.report.JsonReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the {@code codec} harness from rotting: runs it end to end (a real JMH fork, as the jar
 * does) with tiny iterations and checks that every scenario is measured for both systems. Never
 * asserts on speed: figures from 200 ms iterations on a shared machine mean nothing.
 */
class CodecCommandTest {
    private static final List<String> SCENARIOS =
            List.of(
                    "encode-small",
                    "encode-array-small",
                    "decode-small",
                    "encode-medium",
                    "encode-array-medium",
                    "decode-medium");

    /**
     * A table row: scenario, "bytes T / bytes K", Troupe ops/s (± error), Kryo ops/s (± error),
     * ratio.
     */
    private static final Pattern ROW =
            Pattern.compile(
                    "^(\\S+)\\s+(\\d+) / (\\d+)\\s+([\\d,]+)(?: ± [\\d.]+%)?\\s+([\\d,]+)(?: ± [\\d.]+%)?\\s+([\\d.]+)x\\s*$",
                    Pattern.MULTILINE);

    @Test
    @Timeout(120)
    void shouldPrintEveryScenarioForBothSystemsWhenRunQuick(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("codec.json");
        StringWriter out = new StringWriter();
        int exit =
                BenchmarksMain.commandLine()
                        .setOut(new PrintWriter(out))
                        .execute(
                                "codec",
                                "--quick",
                                "-f",
                                "1",
                                "-wi",
                                "1",
                                "-w",
                                "200ms",
                                "-i",
                                "1",
                                "-r",
                                "200ms",
                                "--jmh-output",
                                "SILENT",
                                "--json",
                                json.toString());
        String table = out.toString();
        assertEquals(0, exit, table);

        for (String scenario : SCENARIOS) {
            Matcher row = findRow(table, scenario);
            assertTrue(
                    Integer.parseInt(row.group(2)) > 0 && Integer.parseInt(row.group(3)) > 0,
                    "sizes in " + row.group());
            assertTrue(
                    number(row.group(4)) > 0 && number(row.group(5)) > 0,
                    "ops/s in " + row.group());
            assertTrue(Double.parseDouble(row.group(6)) > 0, "ratio in " + row.group());
        }
        assertTrue(
                table.contains("JVM: ")
                        && table.contains("Flags: ")
                        && table.contains(JvmFlags.ADD_EXPORTS),
                table);

        String text = Files.readString(json, StandardCharsets.UTF_8);
        List<Map<String, Object>> measurements = JsonReport.read(text);
        for (Map<String, Object> m : measurements) {
            assertTrue(SCENARIOS.contains(m.get("scenario")), "unknown scenario in " + m);
            assertTrue(
                    m.get("system").equals("troupe") || m.get("system").equals("naive-kryo"),
                    "unknown system in " + m);
            assertTrue(((Number) m.get("msg_bytes")).intValue() > 0, m.toString());
            assertTrue(((Number) m.get("ops_per_s")).doubleValue() > 0, m.toString());
        }
        assertEquals(2 * SCENARIOS.size(), measurements.size(), text);
    }

    private static Matcher findRow(String table, String scenario) {
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            if (m.group(1).equals(scenario)) {
                return m;
            }
        }
        throw new AssertionError("No row for " + scenario + " in:\n" + table);
    }

    private static double number(String withCommas) {
        return Double.parseDouble(withCommas.replace(",", ""));
    }
}
