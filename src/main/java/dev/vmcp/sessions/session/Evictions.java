package dev.vmcp.sessions.session;

import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * Told of the live sessions that leave a {@link LiveSessionCache} on their own, because
 * they were idle or for capacity, and of the sessions that come back into it. Leaving
 * closes only this pod's connections: whether the backends' sessions must end too is for
 * the implementation to find out, since another pod may still be serving the session.
 * <p>
 * Implementations are thread-safe; {@link #evicted} is called on the cache's executor,
 * outside its locks, and may block.
 */
public interface Evictions {

	/**
	 * {@code live} left the cache for {@code cause} ({@link RemovalCause#EXPIRED} or
	 * {@link RemovalCause#SIZE}) and has been closed; its connections still name the
	 * backend sessions it held.
	 */
	void evicted(LiveSession live, RemovalCause cause);

	/** The session is held by the cache again. Called on the hot path: keep it cheap. */
	void cached(LiveSession live);

	/**
	 * {@code stale} left the cache, closed, for a later session of the same id: the
	 * session it was of has ended (its record expired, and the id, derived, was used
	 * again), so its backend sessions are to end.
	 */
	void superseded(LiveSession stale);

}
