package dev.vmcp.sessions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the session service for virtual MCP servers.
 * <p>
 * Without Lettuce's observation of every Redis command: the store times and counts each
 * of its calls itself ({@code vmcp.store.operation}), and an observation per command cost
 * more than the rest of the Redis client on the hot path.
 */
@SpringBootApplication(excludeName = {
		// An observation around every Redis command costs more than the command
		"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration",
		// Nothing here uses them; each costs start-up time to process and to create
		"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
		"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadMetricsAutoConfiguration",
		"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadRefreshScopedRegistryAutoConfiguration",
		"io.github.resilience4j.springboot.bulkhead.autoconfigure.ThreadPoolBulkheadMetricsAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerRefreshScopedRegistryAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerStreamEventsAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakersHealthIndicatorAutoConfiguration",
		"io.github.resilience4j.springboot.micrometer.autoconfigure.TimerAutoConfiguration",
		"io.github.resilience4j.springboot.ratelimiter.autoconfigure.RateLimiterAutoConfiguration",
		"io.github.resilience4j.springboot.ratelimiter.autoconfigure.RateLimiterMetricsAutoConfiguration",
		"io.github.resilience4j.springboot.ratelimiter.autoconfigure.RateLimiterRefreshScopedRegistryAutoConfiguration",
		"io.github.resilience4j.springboot.ratelimiter.autoconfigure.RateLimitersHealthIndicatorAutoConfiguration",
		"io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration",
		"io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration",
		"io.github.resilience4j.springboot.retry.autoconfigure.RetryRefreshScopedRegistryAutoConfiguration",
		"org.springframework.boot.data.autoconfigure.metrics.DataRepositoryMetricsAutoConfiguration",
		"org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
		"org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
		"org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration" })
@ConfigurationPropertiesScan
public class VmcpSessionsApplication {

	public static void main(String[] args) {
		SpringApplication.run(VmcpSessionsApplication.class, args);
	}

}
