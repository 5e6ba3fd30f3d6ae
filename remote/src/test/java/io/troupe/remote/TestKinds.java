package io.troupe.remote;

import akka.actor.typed.javadsl.Behaviors;

/** The actor kinds pool tests spawn on workers; {@link Setup} registers them in each worker. */
public final class TestKinds {
    private TestKinds() {}

    /** An echo that answers pings with its node's name. */
    public static final ActorKind<TestProtocol.Command> ECHO =
            ActorKind.of(
                    "echo",
                    TestProtocol.Command.class,
                    () ->
                            Behaviors.setup(
                                    ctx ->
                                            TestProtocol.echo(
                                                    RemoteNode.get(ctx.getSystem()).name(), 0)));

    /** Run in every worker JVM by the pool. */
    public static final class Setup implements WorkerSetup {
        @Override
        public void setUp(RemoteNode node) {
            node.registerKind(ECHO);
        }
    }
}
