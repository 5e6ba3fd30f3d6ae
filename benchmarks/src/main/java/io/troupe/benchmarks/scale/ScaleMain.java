package io.troupe.benchmarks.scale;

import io.troupe.benchmarks.report.JsonReport;
import java.nio.file.Path;
import java.util.List;

/**
 * A temporary entry point until {@code remote} runs these measures as its scenarios
 * {@code memory} and {@code scaling}:
 * <pre>  ScaleMain memory|scaling|all [default|quick|smoke] [JSON_FILE]</pre>
 * with {@code -Dscale.jvm="-Xmx160m ..."} for the memory children's JVM flags (default: none).
 *
 * <p>Thread safety: a main class.
 */
public final class ScaleMain {
    private ScaleMain() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        String preset = args.length > 1 ? args[1] : "quick";
        JsonReport json = new JsonReport();
        long start = System.nanoTime();
        if (what.equals("memory") || what.equals("all")) {
            long t = System.nanoTime();
            MemoryFootprint.Sizes sizes = switch (preset) {
                case "smoke" -> MemoryFootprint.Sizes.SMOKE;
                case "quick" -> MemoryFootprint.Sizes.QUICK;
                default -> MemoryFootprint.Sizes.DEFAULT;
            };
            String flags = System.getProperty("scale.jvm", "").trim();
            MemoryFootprint.Result r = MemoryFootprint.run(sizes, flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")), System.err::println);
            System.out.println(r.render());
            System.out.printf("(memory took %.1f s)%n%n", (System.nanoTime() - t) / 1e9);
            r.addTo(json);
        }
        if (what.equals("scaling") || what.equals("all")) {
            long t = System.nanoTime();
            PiScaling.Sizes sizes = switch (preset) {
                case "smoke" -> PiScaling.Sizes.SMOKE;
                case "quick" -> PiScaling.Sizes.QUICK;
                default -> PiScaling.Sizes.DEFAULT;
            };
            PiScaling.Result r = PiScaling.run(sizes, System.err::println);
            System.out.println(r.render());
            System.out.printf("(scaling took %.1f s)%n%n", (System.nanoTime() - t) / 1e9);
            r.addTo(json);
        }
        System.out.printf("(total %.1f s)%n", (System.nanoTime() - start) / 1e9);
        if (args.length > 2) {
            json.write(Path.of(args[2]));
        }
        System.exit(0);
    }
}
