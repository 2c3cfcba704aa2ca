package dev.vmcp.sessions.testsupport;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Two pods with the same properties behind a {@link RoundRobinBalancer} that alternates
 * on every request: the set-up of every test that shows a request may land on any pod.
 * Closing it closes the balancer and both pods.
 */
public final class BalancedPods implements AutoCloseable {

	private final TestPod first;

	private final TestPod second;

	private final RoundRobinBalancer balancer;

	private BalancedPods(TestPod first, TestPod second) {
		this.first = first;
		this.second = second;
		this.balancer = RoundRobinBalancer.start(List.of(first.port(), second.port()));
	}

	/** Starts two pods with {@code properties} and the balancer in front of them. */
	public static BalancedPods start(Map<String, ?> properties) {
		TestPod first = TestPod.start(properties);
		try {
			return new BalancedPods(first, TestPod.start(properties));
		}
		catch (RuntimeException ex) {
			first.close();
			throw ex;
		}
	}

	/** The pod the balancer sends the first request to. */
	public TestPod first() {
		return this.first;
	}

	public TestPod second() {
		return this.second;
	}

	public RoundRobinBalancer balancer() {
		return this.balancer;
	}

	/** {@code /mcp} behind the balancer. */
	public URI mcpUrl() {
		return this.balancer.mcpUrl();
	}

	@Override
	public void close() {
		Closing.all(this.balancer, this.first, this.second);
	}

}
