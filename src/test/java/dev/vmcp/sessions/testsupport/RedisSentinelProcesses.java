package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Sentinel deployment on loopback: a primary, one replica and three Sentinels
 * (quorum 2) watching them under one master name. Sentinels notice a failure after one
 * second, so that a failover takes seconds, not minutes.
 */
public final class RedisSentinelProcesses implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL = Duration.ofMillis(100);

	/**
	 * A primary waits 5 s by default before a full sync, for more replicas to join it;
	 * here there is only ever one, on both sides of a failover.
	 */
	private static final String[] IMMEDIATE_SYNC = { "--repl-diskless-sync-delay", "0" };

	private final String masterName;

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private final List<SentinelProcess> sentinels = new ArrayList<>();

	private RedisSentinelProcesses(String masterName) {
		this.masterName = masterName;
	}

	/**
	 * Starts the primary, its replica and the Sentinels, and waits until every Sentinel
	 * sees the replica and the two other Sentinels: only then can a failover be agreed on
	 * and its outcome spread.
	 */
	public static RedisSentinelProcesses start(String masterName) {
		RedisSentinelProcesses topology = new RedisSentinelProcesses(masterName);
		try {
			RedisServerProcess primary = RedisServerProcess.start(IMMEDIATE_SYNC);
			topology.servers.add(primary);
			RedisServerProcess replica = RedisServerProcess.start(IMMEDIATE_SYNC[0], IMMEDIATE_SYNC[1], "--replicaof",
					"127.0.0.1", Integer.toString(primary.port()));
			topology.servers.add(replica);
			topology.awaitReplicating(replica.port(), primary.port());
			for (int i = 0; i < 3; i++) {
				topology.sentinels.add(SentinelProcess.start(masterName, primary.port()));
			}
			topology.awaitSentinelsAgree(primary.port());
			return topology;
		}
		catch (RuntimeException | Error ex) {
			topology.close();
			throw ex;
		}
	}

	public String masterName() {
		return this.masterName;
	}

	/** The Sentinels, as {@code spring.data.redis.sentinel.nodes} takes them. */
	public String sentinelNodes() {
		return this.sentinels.stream()
			.map((sentinel) -> "127.0.0.1:" + sentinel.port())
			.collect(Collectors.joining(","));
	}

	/** The port of the primary according to the first Sentinel. */
	public int primaryPort() {
		return primaryPortAccordingTo(this.sentinels.get(0));
	}

	/** The port of the server that is not the primary. */
	public int replicaPort() {
		int primary = primaryPort();
		return this.servers.stream()
			.mapToInt(RedisServerProcess::port)
			.filter((port) -> port != primary)
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Waits until the replica has applied every write the primary had accepted when this
	 * was called (replication offsets: what {@code WAIT} checks for its own client).
	 */
	public void awaitReplicaCaughtUp() {
		int primary = primaryPort();
		int replica = replicaPort();
		long target = Long.parseLong(RedisCli.info(primary, "replication").get("master_repl_offset"));
		await().atMost(TIMEOUT)
			.pollInterval(POLL)
			.until(() -> Long.parseLong(RedisCli.info(replica, "replication").get("slave_repl_offset")) >= target);
	}

	/**
	 * Asks the first Sentinel to fail over now, as if the primary were down (no agreement
	 * needed); retried while the Sentinel is not ready for it yet. The first one, because
	 * Lettuce asks the Sentinels in the configured order and takes the first answer: the
	 * Sentinel that ran the failover is the first to know its outcome.
	 */
	public void failover() {
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> RedisCli.command(this.sentinels.get(0).port(), "SENTINEL", "FAILOVER", this.masterName)
				.equals("OK"));
	}

	/** Waits until every Sentinel names {@code port} as the primary. */
	public void awaitPrimaryEverywhere(int port) {
		await().atMost(TIMEOUT)
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(this.sentinels).allSatisfy(
					(sentinel) -> assertThat(primaryPortAccordingTo(sentinel)).as("primary according to %s", sentinel)
						.isEqualTo(port)));
	}

	/**
	 * Waits until the server at {@code replicaPort} replicates from {@code primaryPort}
	 * with its link up. After a failover, Sentinel demotes the old primary (and closes
	 * its client connections) only seconds after it has promoted the new one.
	 */
	public void awaitReplicating(int replicaPort, int primaryPort) {
		await().atMost(TIMEOUT).pollInterval(POLL).untilAsserted(() -> {
			Map<String, String> replication = RedisCli.info(replicaPort, "replication");
			assertThat(replication).containsEntry("role", "slave")
				.containsEntry("master_port", Integer.toString(primaryPort))
				.containsEntry("master_link_status", "up");
		});
	}

	private void awaitSentinelsAgree(int primaryPort) {
		String expected = "name=" + this.masterName + ",status=ok,address=127.0.0.1:" + primaryPort
				+ ",slaves=1,sentinels=" + this.sentinels.size();
		await().atMost(TIMEOUT)
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(this.sentinels)
				.allSatisfy((sentinel) -> assertThat(RedisCli.info(sentinel.port(), "sentinel").get("master0"))
					.as("master as seen by %s", sentinel)
					.isEqualTo(expected)));
	}

	private int primaryPortAccordingTo(SentinelProcess sentinel) {
		String[] address = RedisCli.command(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName)
			.split("\r?\n");
		return Integer.parseInt(address[1].trim());
	}

	@Override
	public void close() {
		this.sentinels.forEach(SentinelProcess::close);
		this.servers.forEach(RedisServerProcess::close);
	}

	/** One {@code redis-server --sentinel} with a generated, writable configuration. */
	private static final class SentinelProcess implements AutoCloseable {

		private final int port;

		private final Process process;

		private SentinelProcess(int port, Process process) {
			this.port = port;
			this.process = process;
		}

		static SentinelProcess start(String masterName, int primaryPort) {
			int port = RedisServerProcess.freePort();
			try {
				Path directory = Files.createTempDirectory("redis-sentinel-" + port + "-");
				// Sentinel rewrites its configuration file as it learns the topology, so
				// the file and its directory must be writable. Hostname options come
				// before the monitor line that they apply to.
				Path configuration = Files.writeString(directory.resolve("sentinel.conf"),
						String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + directory,
								"sentinel resolve-hostnames no", "sentinel announce-hostnames no",
								"sentinel monitor " + masterName + " 127.0.0.1 " + primaryPort + " 2",
								"sentinel down-after-milliseconds " + masterName + " 1000",
								"sentinel failover-timeout " + masterName + " 5000",
								"sentinel parallel-syncs " + masterName + " 1", ""));
				Process process = new ProcessBuilder(redisServerBinary(), configuration.toString(), "--sentinel")
					.redirectErrorStream(true)
					.redirectOutput(directory.resolve("sentinel.log").toFile())
					.start();
				SentinelProcess sentinel = new SentinelProcess(port, process);
				sentinel.awaitListening();
				sentinel.shortenPeriods();
				return sentinel;
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start a Sentinel", ex);
			}
		}

		int port() {
			return this.port;
		}

		private void awaitListening() {
			try {
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::accepts);
			}
			catch (RuntimeException ex) {
				close();
				throw ex;
			}
		}

		/**
		 * After a failover, Sentinel demotes the old primary only once it has reported
		 * its role for four publish periods, seen at the next INFO poll: up to 18 s with
		 * the defaults (INFO every 10 s, hello every 2 s). Shorter periods (SENTINEL
		 * DEBUG, Redis 7.0+) make that about 3 s, and let the Sentinels find each other
		 * sooner; the sequence of a failover stays the same. An older Sentinel answers an
		 * error and keeps its defaults: the tests only take longer.
		 */
		private void shortenPeriods() {
			RedisCli.command(this.port, "SENTINEL", "DEBUG", "info-period", "1000", "publish-period", "500");
		}

		private boolean accepts() {
			try {
				new Socket("127.0.0.1", this.port).close();
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		@Override
		public void close() {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public String toString() {
			return "sentinel on port " + this.port;
		}

		private static String redisServerBinary() {
			String configured = System.getenv("REDIS_SERVER");
			return (configured != null) ? configured : "redis-server";
		}

	}

}
