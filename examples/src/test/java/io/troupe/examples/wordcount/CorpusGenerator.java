package io.troupe.examples.wordcount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes the corpus that {@code word-count} ships ({@code corpus.txt}): pseudo-English prose from a
 * few sentence patterns over a small vocabulary, words drawn with Zipf-like weights (the first of
 * each list most often), so that the counts have the long tail of real text. A fixed seed makes it
 * reproducible; {@link CorpusTest} checks that the shipped file is exactly this output.
 *
 * <pre>
 * java -cp examples/target/test-classes io.troupe.examples.wordcount.CorpusGenerator \
 *     examples/src/main/resources/io/troupe/examples/wordcount/corpus.txt
 * </pre>
 *
 * <p>Thread safety: a main class; not for use as a library.
 */
final class CorpusGenerator {

    static final long SEED = 1_843L;
    static final int PARAGRAPHS = 520;

    private static final List<String> NAMES =
            List.of(
                    "Ada",
                    "Alan",
                    "Grace",
                    "Edsger",
                    "Barbara",
                    "Leslie",
                    "Tony",
                    "Niklaus",
                    "Frances",
                    "Donald",
                    "Margaret",
                    "Carl",
                    "Radia",
                    "Ken");
    private static final List<String> NOUNS =
            List.of(
                    "message",
                    "actor",
                    "process",
                    "thread",
                    "queue",
                    "mailbox",
                    "river",
                    "road",
                    "chicken",
                    "philosopher",
                    "fork",
                    "account",
                    "coin",
                    "bridge",
                    "lantern",
                    "garden",
                    "window",
                    "letter",
                    "city",
                    "mountain",
                    "clock",
                    "signal",
                    "worker",
                    "table",
                    "kettle",
                    "stone",
                    "harbour",
                    "ship",
                    "map",
                    "song",
                    "teacher",
                    "market",
                    "forest",
                    "candle",
                    "door",
                    "cloud",
                    "tower",
                    "field",
                    "wheel",
                    "baker",
                    "ledger",
                    "orchard",
                    "crow",
                    "lamp",
                    "station",
                    "village",
                    "winter",
                    "compass",
                    "ribbon",
                    "engine",
                    "valley",
                    "shepherd",
                    "meadow",
                    "barrel",
                    "anchor",
                    "needle",
                    "violin",
                    "owl",
                    "quarry",
                    "hinge");
    private static final List<String> ADJECTIVES =
            List.of(
                    "old",
                    "quiet",
                    "busy",
                    "small",
                    "bright",
                    "patient",
                    "distant",
                    "careful",
                    "golden",
                    "narrow",
                    "honest",
                    "slow",
                    "eager",
                    "hidden",
                    "wooden",
                    "restless",
                    "gentle",
                    "silver",
                    "crooked",
                    "ancient",
                    "humble",
                    "windy",
                    "stubborn",
                    "orderly",
                    "idle",
                    "curious",
                    "amber",
                    "weary",
                    "nimble",
                    "frozen",
                    "hollow",
                    "loyal");

    /** Regular verbs: the third person adds -s or -es by the usual rule. */
    private static final List<String> VERBS =
            List.of(
                    "send",
                    "carry",
                    "watch",
                    "follow",
                    "answer",
                    "cross",
                    "keep",
                    "count",
                    "wait",
                    "reach",
                    "open",
                    "mend",
                    "pass",
                    "finish",
                    "guard",
                    "remember",
                    "share",
                    "deliver",
                    "visit",
                    "gather",
                    "polish",
                    "wander",
                    "measure",
                    "borrow",
                    "fetch",
                    "paint",
                    "greet",
                    "climb",
                    "repair",
                    "weigh",
                    "whisper",
                    "forgive");

    private static final List<String> ADVERBS =
            List.of(
                    "slowly",
                    "again",
                    "quietly",
                    "together",
                    "at once",
                    "in order",
                    "carefully",
                    "every morning",
                    "without a word",
                    "before dawn",
                    "once more",
                    "patiently",
                    "by lantern light",
                    "all the same");
    private static final List<String> PREPOSITIONS =
            List.of(
                    "to", "across", "beside", "under", "over", "near", "behind", "through", "along",
                    "beyond", "towards", "around");

    private final Random random = new Random(SEED);
    private final StringBuilder text = new StringBuilder();

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CorpusGenerator OUTPUT-FILE");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), generate(), StandardCharsets.UTF_8);
    }

    /**
     * @return the whole corpus, the same on every call and every JVM
     */
    static String generate() {
        CorpusGenerator g = new CorpusGenerator();
        for (int p = 0; p < PARAGRAPHS; p++) {
            int sentences = 3 + g.random.nextInt(5);
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    g.text.append(' ');
                }
                g.sentence();
            }
            g.text.append("\n\n");
        }
        return g.text.toString();
    }

    private void sentence() {
        String s =
                switch (random.nextInt(7)) {
                    case 0 ->
                            the() + adj() + " " + noun() + " " + verbs() + " the " + noun() + " "
                                    + adverb() + ".";
                    case 1 ->
                            a(adj()) + " " + noun() + " " + verbs() + " " + prep() + " the " + adj()
                                    + " " + noun() + ".";
                    case 2 ->
                            pick(NAMES)
                                    + " said that the "
                                    + noun()
                                    + " would "
                                    + verb()
                                    + " the "
                                    + noun()
                                    + " "
                                    + prep()
                                    + " the "
                                    + noun()
                                    + ".";
                    case 3 ->
                            "When the "
                                    + noun()
                                    + " "
                                    + verbs()
                                    + ", the "
                                    + adj()
                                    + " "
                                    + noun()
                                    + " "
                                    + verbs()
                                    + " "
                                    + adverb()
                                    + ".";
                    case 4 ->
                            "Every "
                                    + noun()
                                    + " has "
                                    + a(noun())
                                    + ", and every "
                                    + noun()
                                    + " has "
                                    + a(adj())
                                    + " "
                                    + noun()
                                    + ".";
                    case 5 ->
                            pick(NAMES)
                                    + " and "
                                    + pick(NAMES)
                                    + " "
                                    + verb()
                                    + " the "
                                    + noun()
                                    + " "
                                    + prep()
                                    + " the "
                                    + noun()
                                    + " "
                                    + adverb()
                                    + ".";
                    default ->
                            "Why did the "
                                    + adj()
                                    + " "
                                    + noun()
                                    + " "
                                    + verb()
                                    + " the "
                                    + noun()
                                    + "? To "
                                    + verb()
                                    + " the "
                                    + noun()
                                    + ".";
                };
        text.append(Character.toUpperCase(s.charAt(0))).append(s, 1, s.length());
    }

    private String the() {
        return "the ";
    }

    private String noun() {
        return pick(NOUNS);
    }

    private String adj() {
        return pick(ADJECTIVES);
    }

    private String verb() {
        return pick(VERBS);
    }

    private String adverb() {
        return pick(ADVERBS);
    }

    private String prep() {
        return pick(PREPOSITIONS);
    }

    private String verbs() {
        String v = verb();
        if (v.endsWith("y") && !v.endsWith("ay") && !v.endsWith("ey")) {
            return v.substring(0, v.length() - 1) + "ies";
        }
        if (v.endsWith("s") || v.endsWith("sh") || v.endsWith("ch") || v.endsWith("x")) {
            return v + "es";
        }
        return v + "s";
    }

    private static String a(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    /** Zipf-like: the item at rank r (from 1) is drawn with weight 1 / r. */
    private String pick(List<String> words) {
        double total = 0;
        for (int r = 1; r <= words.size(); r++) {
            total += 1.0 / r;
        }
        double x = random.nextDouble() * total;
        for (int r = 1; r <= words.size(); r++) {
            x -= 1.0 / r;
            if (x <= 0) {
                return words.get(r - 1);
            }
        }
        return words.get(words.size() - 1);
    }
}
