package io.troupe.examples.wordcount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a word is, in one place, so that the single-threaded count and the mappers agree: a run of
 * letters and digits, with apostrophes inside it ({@code don't}), lower-cased.
 *
 * <p>Thread safety: stateless.
 */
final class Words {

    private Words() {}

    /** Adds the words of {@code text} to {@code counts}. */
    static void count(CharSequence text, Map<String, Long> counts) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n
                    && (Character.isLetterOrDigit(text.charAt(i)) || isInnerApostrophe(text, i))) {
                i++;
            }
            if (i > start) {
                counts.merge(
                        text.subSequence(start, i).toString().toLowerCase(Locale.ROOT),
                        1L,
                        Long::sum);
            }
        }
    }

    /**
     * @return the counts of {@code text}'s words
     */
    static Map<String, Long> count(CharSequence text) {
        Map<String, Long> counts = new HashMap<>();
        count(text, counts);
        return counts;
    }

    private static boolean isInnerApostrophe(CharSequence text, int i) {
        char c = text.charAt(i);
        return (c == '\'' || c == '\u2019')
                && i + 1 < text.length()
                && Character.isLetter(text.charAt(i + 1))
                && i > 0
                && Character.isLetter(text.charAt(i - 1));
    }

    /**
     * Cuts {@code text} into pieces of about {@code size} characters, each ending just before a
     * whitespace character, so that no word is cut in two.
     */
    static List<String> split(String text, int size) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        return chunks;
    }

    /**
     * @return the {@code n} most frequent words, most frequent first, ties alphabetically
     */
    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .toList();
    }

    /**
     * @return the total number of words counted
     */
    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
