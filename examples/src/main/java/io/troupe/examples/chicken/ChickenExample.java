package io.troupe.examples.chicken;

import akka.actor.typed.ActorRef;
import io.troupe.core.dispatch.DispatcherPreset;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chicken}: "Why did the multithreaded chicken cross the road?" Racing threads, one per
 * word, say the answer in whatever order they happen to run; a speaker actor telling the words to a
 * listener actor is heard in order every time, although the two run on different dispatchers.
 *
 * <p>With {@code --processes 2} the listener runs in a worker process and the words cross between
 * processes over Aeron IPC; {@link #runActors} is the same code, handed a remote ref.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "chicken",
        mixinStandardHelpOptions = true,
        description = {
            "Why did the multithreaded chicken cross the road? Threads scramble words; actor messages arrive in order.",
            "",
            "One thread per word races to say the answer, and the words come out in whatever order the"
                    + " threads run. A speaker actor telling the same words to a listener actor, one message"
                    + " per word, is always heard in order: Akka delivers one sender's messages to one"
                    + " receiver in the order they were sent. With --processes 2 the listener lives in another"
                    + " process, and the words still arrive in order: Troupe keeps Akka's guarantee across"
                    + " processes.",
            ""
        })
public final class ChickenExample implements Example {

    static final String QUESTION = "Why did the multithreaded chicken cross the road?";
    static final List<String> ANSWER = List.of("To", "get", "to", "the", "other", "side.");

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Spec CommandSpec spec;

    @Option(
            names = "--tries",
            paramLabel = "N",
            defaultValue = "20",
            description =
                    "Most times the threads try (stopping once they scramble the answer), and times"
                            + " the actors say it, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1000)
    int tries;

    @Option(
            names = "--jitter-micros",
            paramLabel = "US",
            defaultValue = "50",
            description =
                    "Most random work, in microseconds, before each word is said, by threads and"
                            + " speaker alike, ${RANGE} (default: ${DEFAULT-VALUE}). At 0 the race is still there,"
                            + " just rarer.")
    @Range(min = 0, max = 10_000)
    int jitterMicros;

    @Option(
            names = "--processes",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "1: speaker and listener in this process; 2: the listener in a worker process,"
                            + " so every word crosses between processes, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 2)
    int processes;

    @Override
    public List<String> tourArguments() {
        return List.of("--tries", "10");
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("chicken: " + QUESTION);
        out.flush();

        int scrambledOnTry = runThreads(out);
        int inOrder = processes == 1 ? runInOneProcess(out) : runInTwoProcesses(out);

        String threads =
                scrambledOnTry > 0
                        ? "racing threads scrambled the answer on try "
                                + scrambledOnTry
                                + " of "
                                + tries
                        : "racing threads happened to keep the order in all "
                                + tries
                                + " tries (the race is"
                                + " still there: try more --tries or --jitter-micros)";
        out.printf(
                Locale.ROOT,
                "Result: %s; actor messages arrived in order %d of %d times%s%s%n",
                threads,
                inOrder,
                tries,
                processes == 1 ? "" : " across two processes",
                inOrder == tries ? "" : " (FAILED: messages were reordered)");
        out.flush();
        return inOrder == tries ? 0 : 1;
    }

    /**
     * @return the try on which the threads first scrambled the answer, or 0 if they never did
     */
    private int runThreads(PrintWriter out) throws InterruptedException {
        for (int t = 1; t <= tries; t++) {
            List<String> said = RacingThreads.say(ANSWER, jitterMicros, DEADLINE);
            boolean scrambled = !said.equals(ANSWER);
            out.printf(
                    Locale.ROOT,
                    "  %d threads, one word each, try %d: %-30s %s%n",
                    ANSWER.size(),
                    t,
                    quote(said),
                    scrambled ? "SCRAMBLED" : "in order, trying again");
            out.flush();
            if (scrambled) {
                return t;
            }
        }
        return 0;
    }

    /** Speaker and listener in this process, on different dispatchers. */
    private int runInOneProcess(PrintWriter out) {
        try (ExampleSystem actors = ExampleSystem.start("chicken")) {
            actors.register(Speaker.Command.class, Listener.Command.class);
            ActorRef<Speaker.Command> speaker = actors.spawn(Speaker.create(), "speaker");
            // The listener runs on another dispatcher, so on other threads than the speaker.
            ActorRef<Listener.Command> listener =
                    actors.spawn(
                            Listener.create(), "listener", DispatcherPreset.CPU_BOUND.selector());
            return runActors(out, "speaker actor -> listener actor", actors, speaker, listener);
        }
    }

    /** The speaker in this process, the listener in a worker process of a pool. */
    private int runInTwoProcesses(PrintWriter out) {
        try (ExampleSystem actors = ExampleCluster.startMain("chicken");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors, ExampleCluster.workers(1, ChickenSetup.class), out)) {
            actors.register(Speaker.Command.class, Listener.Command.class);
            ActorRef<Speaker.Command> speaker = actors.spawn(Speaker.create(), "speaker");
            ActorRef<Listener.Command> listener = pool.spawn("worker-1", Listener.KIND);
            return runActors(
                    out,
                    "speaker actor -> listener actor in worker-1 (pid "
                            + pool.pid("worker-1")
                            + ")",
                    actors,
                    speaker,
                    listener);
        }
    }

    /**
     * Has {@code speaker} say the answer to {@code listener} {@code tries} times.
     *
     * @return how many times the listener heard the words in order
     */
    private int runActors(
            PrintWriter out,
            String who,
            ExampleSystem actors,
            ActorRef<Speaker.Command> speaker,
            ActorRef<Listener.Command> listener) {
        int inOrder = 0;
        List<String> firstOutOfOrder = null;
        for (int t = 1; t <= tries; t++) {
            Listener.Heard heard =
                    actors.<Speaker.Command, Listener.Heard>ask(
                            speaker,
                            replyTo -> new Speaker.Say(ANSWER, jitterMicros, listener, replyTo),
                            DEADLINE);
            if (heard.words().equals(ANSWER)) {
                inOrder++;
            } else if (firstOutOfOrder == null) {
                firstOutOfOrder = heard.words();
            }
        }
        out.printf(
                Locale.ROOT,
                "  %s, %d times: %-30s in order %d/%d%n",
                who,
                tries,
                quote(firstOutOfOrder == null ? ANSWER : firstOutOfOrder),
                inOrder,
                tries);
        out.flush();
        return inOrder;
    }

    private static String quote(List<String> words) {
        return '"' + String.join(" ", words) + '"';
    }
}
