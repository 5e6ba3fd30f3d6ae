package io.troupe.core.dispatch;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.lang.reflect.Method;
import java.util.Objects;

/** A test actor that tells which thread runs it, optionally after blocking at a {@link Gate}. */
final class ThreadReporter extends AbstractBehavior<ThreadReporter.Command> {

    sealed interface Command permits Report, BlockThenReport {}

    /** Reply at once with the current thread. */
    record Report(ActorRef<Reported> replyTo) implements Command {
        Report {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Pass through the gate (blocking this actor's thread until it opens), then reply. */
    record BlockThenReport(Gate gate, ActorRef<Reported> replyTo) implements Command {
        BlockThenReport {
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The thread that handled the command; {@code released} is false if the gate timed out. */
    record Reported(String threadName, boolean virtual, boolean released) {}

    static Behavior<Command> create() {
        return Behaviors.setup(ThreadReporter::new);
    }

    private ThreadReporter(ActorContext<Command> context) {
        super(context);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Report.class, this::onReport)
                .onMessage(BlockThenReport.class, this::onBlockThenReport)
                .build();
    }

    private Behavior<Command> onReport(Report command) {
        command.replyTo().tell(reportCurrentThread(true));
        return this;
    }

    private Behavior<Command> onBlockThenReport(BlockThenReport command) {
        boolean released = command.gate().passThrough();
        command.replyTo().tell(reportCurrentThread(released));
        return this;
    }

    private static Reported reportCurrentThread(boolean released) {
        Thread current = Thread.currentThread();
        return new Reported(current.getName(), isVirtual(current), released);
    }

    /**
     * {@code Thread.isVirtual()} by reflection, since tests compile for Java 17; false before 21.
     */
    static boolean isVirtual(Thread thread) {
        if (Runtime.version().feature() < 21) {
            return false;
        }
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(
                    "Thread.isVirtual() unreachable on Java " + Runtime.version(), e);
        }
    }
}
