package dev.vmcp.sessions.session;

/**
 * A session in use on this pod: its record as just read and its live backend connections.
 *
 * @param record the active record
 * @param live this pod's connections to the member backends
 */
public record ActiveSession(SessionRecord record, LiveSession live) {

}
