/**
 * Bridges the two revisions' ways of asking the client for input, across pods: a call
 * parked while its member waits for the client's answers lives in the store
 * ({@link ParkedCalls}), the pod that sent the call holds the member's answer stream
 * ({@link CallHolder}) and hands what the member sends next to the store, and whichever
 * pod gets the client's answers picks it up ({@link ParkedCalls#next}), woken by pub/sub.
 * What each revision's client sees of it is in {@code v2025} and {@code v2026}.
 */
@NullMarked
package dev.vmcp.sessions.mcp.bridge;

import org.jspecify.annotations.NullMarked;
