/**
 * The audit: one event per routed client request ({@code tools/call},
 * {@code prompts/get}, {@code resources/read}, task operations) and per session start and
 * end, on a logger of its own ({@value dev.vmcp.sessions.audit.AuditTrail#LOGGER}) as ECS
 * JSON lines, so that it can go to a sink of its own. Built from what the request has at
 * hand: no store call, no argument values (a digest at most).
 */
@NullMarked
package dev.vmcp.sessions.audit;

import org.jspecify.annotations.NullMarked;
