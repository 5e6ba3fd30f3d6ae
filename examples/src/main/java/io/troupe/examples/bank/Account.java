package io.troupe.examples.bank;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Objects;

/**
 * A bank account as an actor: the balance is a plain field that only the actor touches, one message
 * at a time, so no update is ever lost however many threads send deposits at once.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Account extends AbstractBehavior<Account.Command> {

    /** What an account understands. */
    public sealed interface Command permits Deposit, GetBalance {}

    /** Adds {@code amount} to the balance and replies with the new balance. */
    public record Deposit(long amount, ActorRef<Deposited> replyTo) implements Command {
        public Deposit {
            if (amount <= 0) {
                throw new IllegalArgumentException("amount must be positive, was " + amount);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Replies with the current balance. */
    public record GetBalance(ActorRef<Balance> replyTo) implements Command {
        public GetBalance {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Deposit}: the balance right after it. */
    public record Deposited(long balance) {}

    /** The reply to {@link GetBalance}. */
    public record Balance(long amount) {}

    /** Confined to the actor: no lock, no volatile, no lost update. */
    private long balance;

    private Account(ActorContext<Command> context) {
        super(context);
    }

    /**
     * @return an account with a balance of 0
     */
    public static Behavior<Command> create() {
        return Behaviors.setup(Account::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Deposit.class, this::onDeposit)
                .onMessage(GetBalance.class, this::onGetBalance)
                .build();
    }

    private Behavior<Command> onDeposit(Deposit deposit) {
        balance += deposit.amount();
        deposit.replyTo().tell(new Deposited(balance));
        return this;
    }

    private Behavior<Command> onGetBalance(GetBalance get) {
        get.replyTo().tell(new Balance(balance));
        return this;
    }
}
