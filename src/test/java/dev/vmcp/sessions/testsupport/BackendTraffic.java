package dev.vmcp.sessions.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link McpBackendServer} has seen, recorded by its {@link BackendTrafficFilter}.
 * Kept outside the Tomcat instance so that it survives {@link McpBackendServer#stop()}
 * and {@link McpBackendServer#restart()}. Thread-safe.
 */
final class BackendTraffic {

	private final AtomicInteger initializeCount = new AtomicInteger();

	private final AtomicInteger deleteCount = new AtomicInteger();

	private final List<String> deletedSessionIds = new CopyOnWriteArrayList<>();

	private final Set<String> liveSessionIds = ConcurrentHashMap.newKeySet();

	private final ConcurrentMap<String, AtomicInteger> postCountBySessionId = new ConcurrentHashMap<>();

	/**
	 * When each live session was initialized, and its last request since: for leak hunts.
	 */
	private final ConcurrentMap<String, McpBackendServer.SessionActivity> activityBySessionId = new ConcurrentHashMap<>();

	/** The JSON-RPC method and the {@code traceparent} header of every POST, in order. */
	private final List<McpBackendServer.Post> posts = new CopyOnWriteArrayList<>();

	void posted(String method, String traceparent) {
		this.posts.add(new McpBackendServer.Post(method, traceparent));
	}

	List<McpBackendServer.Post> posts() {
		return List.copyOf(this.posts);
	}

	void postReceived(String sessionId) {
		if (sessionId != null) {
			this.postCountBySessionId.computeIfAbsent(sessionId, (id) -> new AtomicInteger()).incrementAndGet();
		}
	}

	/** A request of {@code httpMethod} ({@code POST}, {@code GET}, …) in a session. */
	void touched(String sessionId, String httpMethod) {
		if (sessionId != null) {
			this.activityBySessionId.computeIfPresent(sessionId,
					(id, activity) -> activity.touched(Instant.now(), httpMethod));
		}
	}

	void sessionInitialized(String sessionId) {
		this.activityBySessionId.put(sessionId, McpBackendServer.SessionActivity.initialized(Instant.now()));
		this.liveSessionIds.add(sessionId);
		this.initializeCount.incrementAndGet();
	}

	void deleteReceived(String sessionId) {
		this.deleteCount.incrementAndGet();
		if (sessionId != null) {
			this.deletedSessionIds.add(sessionId);
		}
	}

	void sessionEnded(String sessionId) {
		this.liveSessionIds.remove(sessionId);
		this.activityBySessionId.remove(sessionId);
	}

	void forgetAllSessions() {
		this.liveSessionIds.clear();
		this.activityBySessionId.clear();
	}

	Map<String, McpBackendServer.SessionActivity> liveSessionActivity() {
		return Map.copyOf(this.activityBySessionId);
	}

	boolean isLive(String sessionId) {
		return this.liveSessionIds.contains(sessionId);
	}

	int initializeCount() {
		return this.initializeCount.get();
	}

	int deleteCount() {
		return this.deleteCount.get();
	}

	List<String> deletedSessionIds() {
		return List.copyOf(this.deletedSessionIds);
	}

	Set<String> liveSessionIds() {
		return Set.copyOf(this.liveSessionIds);
	}

	int requestCount(String sessionId) {
		AtomicInteger count = this.postCountBySessionId.get(sessionId);
		return (count != null) ? count.get() : 0;
	}

}
