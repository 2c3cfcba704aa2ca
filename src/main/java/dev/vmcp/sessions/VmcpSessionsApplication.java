package dev.vmcp.sessions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the session service for virtual MCP servers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VmcpSessionsApplication {

	public static void main(String[] args) {
		SpringApplication.run(VmcpSessionsApplication.class, args);
	}

}
