package dev.vmcp.sessions.backend;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event.
 *
 * @param id the event id, if any
 * @param event the event type, if any ({@code message} by default)
 * @param data the data lines, joined by newlines
 */
record SseEvent(@Nullable String id, @Nullable String event, String data) {

}
