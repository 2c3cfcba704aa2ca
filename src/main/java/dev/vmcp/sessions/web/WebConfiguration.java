package dev.vmcp.sessions.web;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the REST API writes a session, and the actuator's handler mapping behind the API's.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	/**
	 * Just behind the API's handler mapping (order 0) and ahead of the others, the static
	 * resources' {@code /**} included.
	 */
	static final int ACTUATOR_MAPPING_ORDER = 1;

	@Bean
	SessionViewWriter sessionViewWriter(JsonMapper jsonMapper) {
		return new SessionViewWriter(jsonMapper);
	}

	/**
	 * Spring MVC asks its handler mappings in order, and Spring Boot puts the actuator's
	 * first: every API request and MCP message had its path tried against each actuator
	 * pattern before reaching its own. No API path lies under {@code /actuator}, so the
	 * order changes which mapping is asked first, never which one answers. A deployment
	 * that gives the actuator its own port (the Helm chart does) has no actuator mapping
	 * here at all. Static: it must exist before the mappings do.
	 */
	@Bean
	static BeanPostProcessor actuatorMappingBehindTheApi() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractWebMvcEndpointHandlerMapping actuator) {
					actuator.setOrder(ACTUATOR_MAPPING_ORDER);
				}
				return bean;
			}
		};
	}

}
