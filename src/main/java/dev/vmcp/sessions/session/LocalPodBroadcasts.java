package dev.vmcp.sessions.session;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Broadcasts for a single pod (the memory store): delivered at once to this pod's
 * listeners.
 */
public final class LocalPodBroadcasts implements PodBroadcasts {

	private final ConcurrentMap<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	@Override
	public void publish(String topic, SessionId id, String detail) {
		this.listeners.getOrDefault(topic, List.of()).forEach((listener) -> listener.received(id, detail));
	}

	@Override
	public void subscribe(String topic, Listener listener) {
		this.listeners.computeIfAbsent(topic, (name) -> new CopyOnWriteArrayList<>()).add(listener);
	}

}
