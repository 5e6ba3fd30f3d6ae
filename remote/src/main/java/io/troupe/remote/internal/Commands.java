package io.troupe.remote.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Work other threads hand to the transport thread (watches, subscriptions, spawns), run in the
 * order submitted. Every command finishes: it runs on the transport thread, or, once the node is
 * closed, it is refused with the reason on the submitting or closing thread ({@link
 * Command#refuse}), so a watch still yields {@code Terminated} and a spawn still fails.
 *
 * <p>Thread safety: {@link #submit} from any thread; {@link #runAll} on the transport thread;
 * {@link #close} once, after the transport thread stopped.
 */
final class Commands {
    /** One piece of work for the transport thread. */
    interface Command {
        /** Runs on the transport thread. */
        void run();

        /** The node closed before the command ran; {@code why} says so. Any thread. */
        void refuse(String why);
    }

    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();
    private String closedBecause; // guarded by this

    /** Queues {@code command}, or refuses it at once if the node is closed. */
    void submit(Command command) {
        String why;
        synchronized (this) {
            why = closedBecause;
            if (why == null) {
                queue.offer(command);
                return;
            }
        }
        command.refuse(why);
    }

    /** Runs what was submitted. Transport thread. */
    int runAll() {
        int n = 0;
        Command c;
        while ((c = queue.poll()) != null) {
            c.run();
            n++;
        }
        return n;
    }

    /** Refuses everything queued and everything submitted from now on. */
    void close(String why) {
        synchronized (this) {
            if (closedBecause != null) {
                return;
            }
            closedBecause = why;
        }
        List<Command> left = new ArrayList<>();
        Command c;
        while ((c = queue.poll()) != null) {
            left.add(c);
        }
        for (Command command : left) {
            command.refuse(why);
        }
    }
}
