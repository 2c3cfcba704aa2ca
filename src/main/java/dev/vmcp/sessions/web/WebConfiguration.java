package dev.vmcp.sessions.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's own message converter, ahead of Spring Boot's (which takes converter
 * beans first).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	SessionViewConverter sessionViewConverter(JsonMapper jsonMapper) {
		return new SessionViewConverter(jsonMapper);
	}

}
