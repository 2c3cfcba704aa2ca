package dev.vmcp.sessions.backend;

/**
 * Hears how a backend's standalone stream fares; called on the stream's own threads.
 */
public interface StreamListener {

	/** The backend accepted the stream; messages follow as they come. */
	default void opened() {
	}

	/** The backend would not open the stream; nothing more follows. */
	void refused(StreamRefusal reason);

	/** An opened stream ended, whoever ended it. */
	default void ended() {
	}

}
