/**
 * Across machines: Troupe nodes that are also Akka Cluster members (Artery between machines, Aeron
 * IPC within one). Work in progress (issue 13): the settings so far.
 */
package io.troupe.remote.cluster;
