package dev.vmcp.sessions.redis;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * A write reached the Redis primary but not enough replicas in time. Transient: the
 * caller may retry, and the write is idempotent where this is used.
 */
public class ReplicationLagException extends TransientDataAccessResourceException {

	public ReplicationLagException(long acknowledged, ReplicaAcks required) {
		super(acknowledged + " of " + required.replicas() + " Redis replicas acknowledged the write within "
				+ required.timeout().toMillis() + " ms");
	}

}
