/**
 * The audit: one event per routed client request ({@code tools/call},
 * {@code prompts/get}, {@code resources/read}, task operations), per such request refused
 * before routing, and per session start and end (by expiry too), on a logger of its own
 * ({@value dev.vmcp.sessions.audit.AuditTrail#LOGGER}) as ECS JSON lines, so that it can
 * go to a sink of its own. Built from what the request has at hand (an expiry: from the
 * note the store kept of the session): no store call of its own, no argument values (a
 * digest at most).
 */
@NullMarked
package dev.vmcp.sessions.audit;

import org.jspecify.annotations.NullMarked;
