package dev.vmcp.sessions.redis;

import java.time.Duration;

/**
 * How many Redis replicas must have a write before it is acknowledged, and how long to
 * wait for them. Replication is asynchronous: a write only the primary holds is lost if a
 * replica is promoted before it arrives.
 *
 * @param replicas replicas that must acknowledge; 0 waits for none
 * @param timeout longest wait for them
 */
public record ReplicaAcks(int replicas, Duration timeout) {

	/** Acknowledge once the primary has the write. */
	public static final ReplicaAcks NONE = new ReplicaAcks(0, Duration.ZERO);

	public ReplicaAcks {
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must not be negative");
		}
	}

	boolean required() {
		return this.replicas > 0;
	}

}
