package io.troupe.examples;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code list}: each example's name and the first line of its description, in the order of {@link
 * ExamplesMain}'s subcommands.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the examples, one per line, with what each shows.")
final class ListCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Map.Entry<String, CommandLine> e : examples(spec.root().commandLine()).entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            out.printf("%-21s %s%n", e.getKey(), description.length > 0 ? description[0] : "");
        }
        out.flush();
        return 0;
    }

    /** The root's subcommands that are examples, by name, in declaration order. */
    static Map<String, CommandLine> examples(CommandLine root) {
        Map<String, CommandLine> examples = new LinkedHashMap<>();
        root.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (sub.getCommand() instanceof Example
                                    && name.equals(sub.getCommandName())) {
                                examples.put(name, sub); // aliases would appear twice otherwise
                            }
                        });
        return examples;
    }
}
