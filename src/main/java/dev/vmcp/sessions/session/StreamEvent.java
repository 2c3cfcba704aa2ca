package dev.vmcp.sessions.session;

/**
 * One event of a client's stream, as kept for the client to resume the stream.
 *
 * @param sequence its place in the stream, from 0 (the priming event) up
 * @param data the message it carried, as the client received it; empty for a priming
 * event
 * @param last whether it ends the stream (the response to the request that opened it)
 */
public record StreamEvent(long sequence, String data, boolean last) {

	public StreamEvent {
		if (sequence < 0) {
			throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
		}
	}

}
