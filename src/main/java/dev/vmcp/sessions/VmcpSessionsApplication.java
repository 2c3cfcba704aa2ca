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
@SpringBootApplication(
		excludeName = "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration")
@ConfigurationPropertiesScan
public class VmcpSessionsApplication {

	public static void main(String[] args) {
		SpringApplication.run(VmcpSessionsApplication.class, args);
	}

}
