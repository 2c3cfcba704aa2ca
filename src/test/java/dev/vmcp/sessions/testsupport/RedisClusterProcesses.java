package dev.vmcp.sessions.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of masters without replicas, each a {@link RedisServerProcess} on
 * a free loopback port, joined with {@code redis-cli --cluster create}: the 16384 slots
 * are split evenly between the masters.
 */
public final class RedisClusterProcesses implements AutoCloseable {

	private static final Duration CLUSTER_FORMATION_TIMEOUT = Duration.ofSeconds(20);

	private final List<RedisServerProcess> masters = new ArrayList<>();

	private RedisClusterProcesses() {
	}

	/** Starts {@code count} masters, joins them and waits until every one is serving. */
	public static RedisClusterProcesses start(int count) {
		RedisClusterProcesses cluster = new RedisClusterProcesses();
		try {
			for (int i = 0; i < count; i++) {
				cluster.masters.add(startNode());
			}
			cluster.create();
			cluster.awaitFormed();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	private static RedisServerProcess startNode() {
		// The bus port is chosen explicitly: the default, port + 10000, can fall outside
		// the valid range or be taken when the port is a random ephemeral one. nodes.conf
		// is relative to the server's own --dir.
		return RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
				"--cluster-port", Integer.toString(RedisServerProcess.freePort()), "--cluster-node-timeout", "2000");
	}

	public List<Integer> ports() {
		return this.masters.stream().map(RedisServerProcess::port).toList();
	}

	/** The seed nodes, as {@code spring.data.redis.cluster.nodes} takes them. */
	public String nodes() {
		return this.masters.stream().map((master) -> "127.0.0.1:" + master.port()).collect(Collectors.joining(","));
	}

	/** The keys held by one node that match a glob pattern. */
	public List<String> keysOn(int port, String pattern) {
		String output = RedisCli
			.run(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "--scan", "--pattern", pattern));
		return output.isEmpty() ? List.of() : List.of(output.split("\r?\n"));
	}

	private void create() {
		List<String> arguments = new ArrayList<>(List.of("--cluster", "create"));
		this.masters.forEach((master) -> arguments.add("127.0.0.1:" + master.port()));
		arguments.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		String output = RedisCli.run(arguments);
		assertThat(output).as("redis-cli --cluster create").contains("All 16384 slots covered");
	}

	/**
	 * Every node must know every other one and see every slot served before a client
	 * reads the topology from it.
	 */
	private void awaitFormed() {
		await().atMost(CLUSTER_FORMATION_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			for (int port : ports()) {
				assertThat(RedisCli.command(port, "CLUSTER", "INFO")).contains("cluster_state:ok")
					.contains("cluster_known_nodes:" + this.masters.size());
			}
		});
	}

	@Override
	public void close() {
		this.masters.forEach(RedisServerProcess::close);
	}

}
