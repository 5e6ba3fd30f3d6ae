package io.troupe.examples.bank;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bank}: lost updates. The same threads make the same transfers of one coin each into one
 * account, first on a shared field without synchronization (updates get lost, money vanishes), then
 * by asking an {@link Account} actor (nothing is lost).
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "bank",
        mixinStandardHelpOptions = true,
        description = {
            "Lost updates: threads sharing an unsynchronized balance lose money; an account actor never does.",
            "",
            "Each of N threads transfers coins, one at a time, into one shared account. Done on a plain"
                    + " field (read the balance, yield, write balance + 1) concurrent read-modify-writes"
                    + " overwrite each other and the total comes out short. Done by asking an account actor,"
                    + " which alone owns its balance and handles one message at a time, the total is always"
                    + " right.",
            ""
        })
public final class BankExample implements Example {

    /** How long either half may take before the example gives up. */
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    @Spec CommandSpec spec;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "4",
            description =
                    "Threads making transfers at the same time, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 2, max = 64)
    int threads;

    @Option(
            names = "--transfers",
            paramLabel = "N",
            defaultValue = "10000",
            description =
                    "Transfers of 1 coin made by each thread, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100_000)
    int transfers;

    @Override
    public List<String> tourArguments() {
        return List.of("--threads", "4", "--transfers", "2000");
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        long expected = (long) threads * transfers;
        out.printf(
                Locale.ROOT,
                "bank: %d threads each transfer %,d x 1 coin into one account; expected"
                        + " total %,d%n",
                threads,
                transfers,
                expected);
        out.flush();

        long unsafeTotal = runOnSharedField(out);
        long actorTotal = runOnAccountActor(out);

        boolean actorHeld = actorTotal == expected;
        boolean threadsHeld = unsafeTotal == expected;
        out.printf(
                Locale.ROOT,
                "Result: actor total %,d %s expected %,d (invariant %s); plain threads %,d"
                        + " (invariant %s)%n",
                actorTotal,
                actorHeld ? "=" : "!=",
                expected,
                actorHeld ? "held" : "BROKEN",
                unsafeTotal,
                threadsHeld
                        ? "held this time: the race is real but did not strike, try more"
                                + " --transfers"
                        : "broken: "
                                + String.format(Locale.ROOT, "%,d", expected - unsafeTotal)
                                + " coins lost");
        out.flush();
        return actorHeld ? 0 : 1;
    }

    /** The broken way: every thread reads and writes one plain field. */
    private long runOnSharedField(PrintWriter out) throws InterruptedException {
        SharedBalance shared = new SharedBalance();
        Duration elapsed = Tellers.run(threads, transfers, shared::depositOne, DEADLINE);
        out.printf(
                Locale.ROOT,
                "  plain threads, shared field:  total %,13d  (%,d ms)%n",
                shared.balance,
                elapsed.toMillis());
        out.flush();
        return shared.balance; // the tellers have been joined, so this read sees all their writes
    }

    /** The actor way: the same threads, but the balance lives inside an actor they ask. */
    private long runOnAccountActor(PrintWriter out) throws InterruptedException {
        try (ExampleSystem actors = ExampleSystem.start("bank")) {
            actors.register(Account.Command.class);
            ActorRef<Account.Command> account = actors.spawn(Account.create(), "account");
            Duration elapsed =
                    Tellers.run(
                            threads,
                            transfers,
                            () ->
                                    actors.<Account.Command, Account.Deposited>ask(
                                            account,
                                            replyTo -> new Account.Deposit(1, replyTo),
                                            ASK_TIMEOUT),
                            DEADLINE);
            long total =
                    actors.<Account.Command, Account.Balance>ask(
                                    account, Account.GetBalance::new, ASK_TIMEOUT)
                            .amount();
            out.printf(
                    Locale.ROOT,
                    "  same threads, account actor:  total %,13d  (%,d ms, one ask per"
                            + " transfer)%n",
                    total,
                    elapsed.toMillis());
            out.flush();
            return total;
        }
    }

    /**
     * One balance shared by all tellers, deliberately without synchronization.
     *
     * <p>Thread safety: none, on purpose; that is the point of the example.
     */
    static final class SharedBalance {
        long balance;

        /**
         * Read, yield, write: the yield stands in for anything that happens between reading and
         * writing in a real program (a log call, a cache miss, being descheduled), and makes the
         * window in which another thread's update gets overwritten wide enough to see on two cores.
         */
        void depositOne() {
            long read = balance;
            Thread.yield();
            balance = read + 1;
        }
    }
}
