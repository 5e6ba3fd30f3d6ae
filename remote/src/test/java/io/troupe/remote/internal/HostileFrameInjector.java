package io.troupe.remote.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.Troupe;
import io.troupe.core.codec.MessageCodec;
import io.troupe.remote.RemoteNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child JVM that is a real node of the cluster ({@code -Dtroupe.remote.node-name}), so the target
 * knows its incarnation, and also writes garbage onto the target's inbound stream through a
 * publication of its own: random bytes and mutated copies of real frames. Each frame's fate at the
 * target is known in advance (see {@link Kind}), so the test can account for every one.
 *
 * <p>Arguments: {@code <target node> <frames> <min millis> <seed>}: injects at least that many
 * frames and for at least that long. Prints {@code READY}, waits for a line {@code go} on stdin,
 * injects, waits until the target's transport thread consumed everything, prints {@code INJECTED
 * offered=<n> uncounted=<n> missingExport=<n> seconds=<s> <kind>=<n>...}, then exits on {@code
 * exit} or end of input.
 */
public final class HostileFrameInjector {
    /** What a frame is, and what the target must do with it. */
    enum Kind {
        /** Random bytes: the header checks refuse them (rejected-frames). */
        RANDOM,
        /**
         * A real frame cut short: under 24 bytes it is refused, else its payload does not decode.
         */
        TRUNCATED,
        WRONG_VERSION,
        /** Addressed to another incarnation of the target's name: a stale ref (rejected). */
        WRONG_TARGET,
        /** From an incarnation the target never saw (rejected). */
        UNKNOWN_SENDER,
        UNKNOWN_TYPE,
        /**
         * A batch whose first record is malformed: a length past the frame's end, or a type that is
         * not batched (rejected).
         */
        BAD_BATCH,
        /**
         * A chunk the chunk assembler refuses: too short, a bad total, a start never seen
         * (rejected).
         */
        BAD_CHUNK,
        /**
         * The first chunk of a message that never ends, declaring up to max-message-bytes: counted
         * nowhere.
         */
        CHUNK_START,
        /** A payload declaring a 2 GiB string or collection (decode failure). */
        HUGE_LENGTH,
        /** A real message to an export id that does not exist: received, then dead-lettered. */
        MISSING_EXPORT,
        /**
         * A real frame with bytes of its payload changed: a decode failure, or a message that
         * happens to decode.
         */
        MUTATED,
        /** A real, intact message to the echo actor, from the same session as the garbage. */
        REAL
    }

    private static final Duration OFFER = Duration.ofSeconds(20);

    public static void main(String[] args) throws Exception {
        String targetName = args[0];
        int frames = Integer.parseInt(args[1]);
        long minNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        Random random = new Random(Long.parseLong(args[3]));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "injector");
        RawFrames raw = null;
        try {
            RemoteNode node = RemoteNode.get(system);
            node.register(FrameProtocol.Msg.class);
            ActorRef<FrameProtocol.Msg> echo =
                    node.lookup(targetName, "echo", FrameProtocol.Msg.class)
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
            RemoteActorRef echoRef = (RemoteActorRef) Adapter.toClassic(echo);
            ActorRef<FrameProtocol.Pong> replies =
                    system.systemActorOf(Behaviors.ignore(), "replies", Props.empty());
            raw =
                    RawFrames.open(
                            node.aeronDirectory(),
                            targetName,
                            echoRef.incarnation(),
                            Duration.ofSeconds(20));
            Frames f =
                    new Frames(
                            Troupe.get(system).codec(),
                            random,
                            echoRef.exportId(),
                            node.incarnation(),
                            echoRef.incarnation(),
                            replies);
            System.out.println("READY injector pid " + ProcessHandle.current().pid());
            System.out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("go")) {
                // wait for the test to start its asks
            }
            Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
            long uncounted = 0;
            long offered = 0;
            long start = System.nanoTime();
            Kind[] kinds = Kind.values();
            for (int i = 0; i < frames || System.nanoTime() - start < minNanos; i++) {
                Kind kind = kinds[random.nextInt(kinds.length)];
                if (kind == Kind.CHUNK_START && random.nextInt(8) != 0) {
                    kind = Kind.BAD_CHUNK; // starts allocate at the target; keep them a small share
                }
                for (byte[] frame : f.make(kind)) {
                    raw.offer(frame, OFFER);
                    offered++;
                }
                counts.merge(kind, 1, Integer::sum);
                if (kind == Kind.CHUNK_START) {
                    uncounted++;
                }
            }
            raw.awaitConsumed(raw.position(), Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(
                    "INJECTED offered="
                            + offered
                            + " uncounted="
                            + uncounted
                            + " missingExport="
                            + counts.getOrDefault(Kind.MISSING_EXPORT, 0)
                            + " seconds="
                            + String.format(Locale.ROOT, "%.2f", seconds)
                            + " "
                            + counts.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(" ")));
            System.out.flush();
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                // stay a member until the test is done
            }
        } catch (Throwable t) {
            System.out.println("INJECTOR FAILED " + t);
            t.printStackTrace(System.out);
            System.out.flush();
        } finally {
            if (raw != null) {
                raw.close();
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** Builds the frames of each {@link Kind} from real encodings. */
    static final class Frames {
        private final Random random;
        private final int echoId;
        private final long me;
        private final long target;
        private final List<byte[]> realBodies = new ArrayList<>();
        private final int noteId;
        private final int maxMessageBytes;

        Frames(
                MessageCodec codec,
                Random random,
                int echoId,
                long me,
                long target,
                ActorRef<FrameProtocol.Pong> replies) {
            this.random = random;
            this.echoId = echoId;
            this.me = me;
            this.target = target;
            this.maxMessageBytes = codec.limits().maxMessageBytes();
            for (int i = 0; i < 16; i++) {
                realBodies.add(codec.encode(new FrameProtocol.Ping(i, replies)));
                realBodies.add(
                        codec.encode(
                                new FrameProtocol.Note(
                                        "note " + i,
                                        List.of((long) i, -1L),
                                        Optional.of(Instant.now()),
                                        Map.of("k" + i, i))));
            }
            this.noteId = MessageCodec.wireId(FrameProtocol.Note.class);
        }

        List<byte[]> make(Kind kind) {
            byte[] body = realBodies.get(random.nextInt(realBodies.size()));
            byte[] real = RawFrames.frame(Wire.DATA, echoId, me, target, body);
            return switch (kind) {
                case RANDOM -> {
                    byte[] b = new byte[random.nextInt(120)];
                    random.nextBytes(b);
                    if (b.length > Wire.VERSION_OFFSET && b[Wire.VERSION_OFFSET] == Wire.VERSION) {
                        b[Wire.VERSION_OFFSET] =
                                0; // random bytes that pass the version check fail the target check
                        // anyway
                    }
                    yield List.of(b);
                }
                case TRUNCATED -> List.of(Arrays.copyOf(real, random.nextInt(real.length)));
                case WRONG_VERSION ->
                        List.of(
                                RawFrames.frame(
                                        Wire.DATA,
                                        (byte) (Wire.VERSION + 1 + random.nextInt(250)),
                                        echoId,
                                        me,
                                        target,
                                        body));
                case WRONG_TARGET ->
                        List.of(RawFrames.frame(Wire.DATA, echoId, me, other(target), body));
                case UNKNOWN_SENDER ->
                        List.of(RawFrames.frame(Wire.DATA, echoId, other(me), target, body));
                case UNKNOWN_TYPE ->
                        List.of(
                                RawFrames.frame(
                                        (byte) (Wire.BATCH + 1 + random.nextInt(250)),
                                        echoId,
                                        me,
                                        target,
                                        body));
                case BAD_BATCH ->
                        List.of(
                                RawFrames.frame(
                                        Wire.BATCH,
                                        0,
                                        me,
                                        target,
                                        random.nextBoolean()
                                                ? RawFrames.batchRecord(
                                                        Wire.DATA,
                                                        echoId,
                                                        body.length
                                                                + 1
                                                                + random.nextInt(
                                                                        Integer.MAX_VALUE
                                                                                - body.length
                                                                                - 1),
                                                        body)
                                                : RawFrames.batchRecord(
                                                        random.nextBoolean()
                                                                ? Wire.CHUNK
                                                                : Wire.BATCH,
                                                        echoId,
                                                        body.length,
                                                        body)));
                case BAD_CHUNK -> List.of(badChunk(body));
                case CHUNK_START -> {
                    int total =
                            random.nextBoolean()
                                    ? maxMessageBytes
                                    : body.length
                                            + 1
                                            + random.nextInt(maxMessageBytes - body.length);
                    yield List.of(
                            RawFrames.frame(
                                    Wire.CHUNK,
                                    echoId,
                                    me,
                                    target,
                                    RawFrames.chunkBody(random.nextLong(), total, 0, body)));
                }
                case HUGE_LENGTH ->
                        List.of(RawFrames.frame(Wire.DATA, echoId, me, target, hugeNote()));
                case MISSING_EXPORT ->
                        List.of(
                                RawFrames.frame(
                                        Wire.DATA,
                                        1_000_000 + random.nextInt(1_000_000),
                                        me,
                                        target,
                                        body));
                case MUTATED -> {
                    byte[] m = real.clone();
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        m[Wire.HEADER_LENGTH + random.nextInt(body.length)] =
                                (byte) random.nextInt(256);
                    }
                    yield List.of(m);
                }
                case REAL -> List.of(real);
            };
        }

        private byte[] badChunk(byte[] body) {
            long id = random.nextLong();
            return switch (random.nextInt(4)) {
                case 0 ->
                        RawFrames.frame(
                                Wire.CHUNK,
                                echoId,
                                me,
                                target,
                                Arrays.copyOf(
                                        RawFrames.chunkBody(id, 100, 0, body),
                                        random.nextInt(Wire.CHUNK_HEADER_LENGTH)));
                case 1 ->
                        RawFrames.frame(
                                Wire.CHUNK,
                                echoId,
                                me,
                                target,
                                RawFrames.chunkBody(
                                        id, -random.nextInt(Integer.MAX_VALUE), 0, body));
                case 2 ->
                        RawFrames.frame(
                                Wire.CHUNK,
                                echoId,
                                me,
                                target,
                                RawFrames.chunkBody(
                                        id,
                                        maxMessageBytes
                                                + 1
                                                + random.nextInt(
                                                        Integer.MAX_VALUE - maxMessageBytes),
                                        0,
                                        body));
                default ->
                        RawFrames.frame(
                                Wire.CHUNK,
                                echoId,
                                me,
                                target,
                                RawFrames.chunkBody(
                                        id, 1 << 20, 1 + random.nextInt(1 << 19), body));
            };
        }

        /** A Note whose text declares a length near 2 GiB. */
        private byte[] hugeNote() {
            Output out = new Output(32);
            out.writeVarInt(noteId + 2, true);
            out.writeVarInt(Integer.MAX_VALUE - random.nextInt(1000), true);
            out.writeBytes(new byte[random.nextInt(16)]);
            return out.toBytes();
        }

        private long other(long incarnation) {
            long v;
            do {
                v = random.nextLong();
            } while (v == incarnation || v == me || v == target);
            return v;
        }
    }
}
