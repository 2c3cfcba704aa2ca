package dev.vmcp.sessions.mcp.v2026;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.backend.MemberRevisions;

/**
 * The members a 2026-07-28 request reaches, with the revision each speaks as this pod
 * learned it (a cached verdict, so asking costs nothing on the hot path). A member that
 * cannot be asked right now is left out, like a failing member from a list. Thread-safe.
 */
final class StatelessMembers {

	private static final Logger logger = LoggerFactory.getLogger(StatelessMembers.class);

	private final BackendCatalog backends;

	private final MemberRevisions revisions;

	StatelessMembers(BackendCatalog backends, MemberRevisions revisions) {
		this.backends = backends;
		this.revisions = revisions;
	}

	/** The members in configuration order, with their revision. */
	Map<String, MemberRevision> current() {
		Map<String, MemberRevision> reached = new LinkedHashMap<>();
		for (String name : this.backends.names()) {
			BackendDefinition backend = this.backends.find(name).orElseThrow();
			try {
				reached.put(name, this.revisions.of(backend));
			}
			catch (BackendUnavailableException ex) {
				logger.debug("Backend {} left out of a 2026-07-28 request: {}", name, ex.getMessage());
			}
		}
		return reached;
	}

	/**
	 * Whether one of {@code members} is reached with the caller's own identity (its token
	 * exchanged): such a member may list differently for each caller.
	 */
	boolean anyPerCaller(Collection<String> members) {
		return members.stream()
			.map(this.backends::find)
			.flatMap(Optional::stream)
			.anyMatch((backend) -> backend.auth().type().perCaller());
	}

	/** Forgets what this pod learned of the member, and asks it again. */
	MemberRevision relearn(String member) {
		this.revisions.forget(member);
		BackendDefinition backend = this.backends.find(member)
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is no longer configured"));
		return this.revisions.of(backend);
	}

}
