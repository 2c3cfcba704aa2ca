/**
 * The gateway's own spans (OpenTelemetry through Micrometer Tracing): a server span per
 * MCP request, a client span per member call and per store call, and the W3C trace
 * context handed on to members. Off, and free, unless an OTLP endpoint is configured.
 */
@NullMarked
package dev.vmcp.sessions.tracing;

import org.jspecify.annotations.NullMarked;
