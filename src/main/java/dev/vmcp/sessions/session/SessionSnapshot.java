package dev.vmcp.sessions.session;

import java.util.List;

/**
 * A session as the service returns it: the record and the state of each member backend.
 */
public record SessionSnapshot(SessionRecord record, List<BackendStatus> backends) {

	public SessionSnapshot {
		backends = List.copyOf(backends);
	}

}
