package io.troupe.remote.internal;

import io.troupe.remote.RemoteException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a node name unique within a cluster on this machine: an exclusive lock on {@code
 * <aeron-dir>/troupe-nodes/<name>.lock}, held for the node's life. The kernel releases it when the
 * process dies, even by SIGKILL, so a restarted process can take its name back at once, while a
 * second live process with the same name is refused. Lock files are never deleted while in use
 * (deleting a lock file lets two processes lock two different files); the directory goes with the
 * Aeron directory.
 *
 * <p>Thread safety: acquire once per node; {@link #close} is idempotent.
 */
final class NodeNameLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private NodeNameLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static NodeNameLock acquire(Path aeronDir, String cluster, String node) {
        Path dir = aeronDir.resolve("troupe-nodes");
        Path file = dir.resolve(node + ".lock");
        FileChannel channel = null;
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectory(
                            dir,
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    // another node created it first
                }
            }
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new RemoteException(
                        "Node name '"
                                + node
                                + "' is already in use in cluster '"
                                + cluster
                                + "' by "
                                + holder
                                + " (lock "
                                + file
                                + "): give this node another troupe.remote.node-name (every node of a cluster needs its"
                                + " own), or stop the other process");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            ("pid " + ProcessHandle.current().pid())
                                    .getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new NodeNameLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            throw new RemoteException(
                    "Cannot take the node name '"
                            + node
                            + "' in "
                            + dir
                            + ": "
                            + e
                            + " (is the Aeron directory writable by this user?)",
                    e);
        }
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            int n = channel.read(b, 0);
            return n > 0
                    ? new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim()
                    : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
