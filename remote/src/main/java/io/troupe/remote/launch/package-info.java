/**
 * Processes and scratch directories on this machine: the one way Troupe starts a child JVM ({@link
 * io.troupe.remote.launch.ChildJvm}: pool workers, benchmark peers, the examples' and tests'
 * children) and the one way it removes a directory tree ({@link
 * io.troupe.remote.launch.Directories}).
 *
 * <p>Design note: a child JVM is this JVM again (the same {@code java}, class path and the flag
 * Aeron needs) with a different main class, so a child never runs on a different build than its
 * parent. Its output is pumped by one daemon thread into a bounded ring of lines (for waiting on a
 * line and for failure reports) and optionally a log file; its stdin stays open, so a child that
 * exits on end of input dies with its parent however the parent dies. A child is killed by its pid,
 * with its descendants, never by name.
 *
 * <p>This package depends on core only, so that every module (and every test) can use it.
 */
package io.troupe.remote.launch;
