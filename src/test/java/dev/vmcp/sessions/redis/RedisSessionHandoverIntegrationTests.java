package dev.vmcp.sessions.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pods handing sessions over through a real redis-server: each id reaches exactly one
 * pod.
 */
class RedisSessionHandoverIntegrationTests {

	private static final String PREFIX = "handover-test:";

	private static final Duration KEPT_FOR = Duration.ofMinutes(1);

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final List<RedisMessageListenerContainer> containers = new ArrayList<>();

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		template = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		redis.close();
	}

	@BeforeEach
	void emptyList() {
		template.delete(PREFIX + RedisSessionHandover.NAME);
	}

	@AfterEach
	void stopPods() {
		this.containers.forEach(RedisMessageListenerContainer::stop);
		this.executor.shutdownNow();
	}

	@Test
	void eachSessionHandedOverIsTakenByExactlyOneOfThePods() {
		Queue<SessionId> takenByB = new ConcurrentLinkedQueue<>();
		Queue<SessionId> takenByC = new ConcurrentLinkedQueue<>();
		pod().onHandover(takenByB::add);
		pod().onHandover(takenByC::add);
		awaitListeningPods(2);
		List<SessionId> handedOver = ids(1_200);

		pod().handOver(handedOver, Duration.ofSeconds(5));

		await().atMost(Duration.ofSeconds(5)).until(() -> takenByB.size() + takenByC.size() >= handedOver.size());
		Set<SessionId> taken = new HashSet<>(takenByB);
		taken.addAll(takenByC);
		assertThat(taken).containsExactlyInAnyOrderElementsOf(handedOver);
		assertThat(takenByB.size() + takenByC.size()).as("no session taken twice").isEqualTo(handedOver.size());
		assertThat(template.hasKey(PREFIX + RedisSessionHandover.NAME)).isFalse();
	}

	@Test
	void sessionsHandedOverWhileNoPodTakesThemGoToTheNextPodThatStarts() {
		List<SessionId> handedOver = ids(3);
		pod().handOver(handedOver, Duration.ofSeconds(5));
		assertThat(template.getExpire(PREFIX + RedisSessionHandover.NAME)).isBetween(1L, KEPT_FOR.toSeconds());

		Queue<SessionId> taken = new ConcurrentLinkedQueue<>();
		pod().onHandover(taken::add);

		await().atMost(Duration.ofSeconds(5)).until(() -> taken.size() == handedOver.size());
		assertThat(taken).containsExactlyElementsOf(handedOver);
	}

	@Test
	void aListEntryThatIsNoSessionIdIsSkipped() {
		template.opsForList().rightPushAll(PREFIX + RedisSessionHandover.NAME, "not a session id");
		List<SessionId> handedOver = ids(1);
		Queue<SessionId> taken = new ConcurrentLinkedQueue<>();
		pod().onHandover(taken::add);
		awaitListeningPods(1);

		pod().handOver(handedOver, Duration.ofSeconds(5));

		await().atMost(Duration.ofSeconds(5)).until(() -> !taken.isEmpty());
		assertThat(taken).containsExactlyElementsOf(handedOver);
	}

	/**
	 * Subscribing is asynchronous: a notice published before it is done would be missed.
	 */
	private static void awaitListeningPods(long pods) {
		String channel = PREFIX + RedisSessionHandover.NAME;
		// redis-cli prints the channel, then its number of subscribers
		await().atMost(Duration.ofSeconds(5))
			.until(() -> RedisCli.command(redis.port(), "PUBSUB", "NUMSUB", channel).strip().endsWith("\n" + pods));
	}

	private RedisSessionHandover pod() {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.afterPropertiesSet();
		container.start();
		this.containers.add(container);
		return new RedisSessionHandover(template, container, PREFIX, KEPT_FOR, this.executor);
	}

	private static List<SessionId> ids(int count) {
		return IntStream.range(0, count).mapToObj((i) -> SessionId.generate()).toList();
	}

}
