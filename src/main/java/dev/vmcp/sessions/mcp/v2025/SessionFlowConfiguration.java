package dev.vmcp.sessions.mcp.v2025;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.config.ServiceVersion;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.McpProperties;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.McpSpans;
import dev.vmcp.sessions.mcp.MemberIds;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.SessionService;

/**
 * Wires the 2025 flow of {@code /mcp} (sessions) on top of what both revisions share.
 */
@Configuration(proxyBeanMethods = false)
class SessionFlowConfiguration {

	@Bean
	MemberMessages memberMessages(MemberIds ids, JsonMapper jsonMapper, McpSignals signals, McpMetrics metrics,
			ResumableStreams resumableStreams, OwnerBindings signatures) {
		return new MemberMessages(ids, jsonMapper, signals, metrics, resumableStreams, new TaskIds(signatures));
	}

	@Bean
	MemberInputs memberInputs(RequestFlow flow, ParkedCalls calls, McpMetrics metrics, JsonMapper jsonMapper,
			McpProperties properties) {
		return new MemberInputs(flow, calls, metrics, jsonMapper, properties.keepAliveInterval());
	}

	@Bean
	McpDispatcher mcpDispatcher(Members members, RequestFlow flow, MemberIds ids, MemberMessages memberMessages,
			MemberInputs inputs, OwnerBindings signatures, JsonMapper jsonMapper, SessionService sessions,
			McpSignals signals) {
		SessionTasks tasks = new SessionTasks(members, flow, new TaskIds(signatures), inputs, jsonMapper);
		return new McpDispatcher(members, flow, ids, memberMessages, inputs, tasks, jsonMapper,
				new ResourceSubscriptions(sessions, signals));
	}

	@Bean
	Initializer mcpInitializer(SessionService sessions, JsonMapper jsonMapper, ServiceVersion version) {
		return new Initializer(sessions, jsonMapper, version.value());
	}

	@Bean
	StandaloneStreams standaloneStreams(Members members, BackendMessenger messenger, MemberMessages memberMessages,
			McpSignals signals, McpMetrics metrics, McpProperties properties, ResumableStreams resumableStreams,
			SessionService sessions, JsonMapper jsonMapper) {
		return new StandaloneStreams(members, messenger, memberMessages, signals, metrics,
				properties.keepAliveInterval(), properties.streamHandoverTimeout(), resumableStreams,
				new MemberListens(members, sessions, memberMessages, signals, jsonMapper));
	}

	/** Last: it answers every POST that no other revision claims. */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SessionFlow sessionFlow(SessionService sessions, Initializer initializer, McpDispatcher dispatcher,
			MemberMessages memberMessages, JsonMapper jsonMapper, McpSpans spans, RequestFlow requestFlow) {
		return new SessionFlow(sessions, initializer, dispatcher, memberMessages, jsonMapper, spans, requestFlow);
	}

	/**
	 * On shutdown, before the web server drains its requests (the context closes before
	 * any lifecycle stops), the clients' standalone streams end: they would never finish
	 * by themselves and would hold the graceful shutdown to its timeout. Their clients
	 * open them again on another pod.
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> endStandaloneStreamsOnShutdown(StandaloneStreams streams) {
		return (event) -> streams.endAll();
	}

	/**
	 * Likewise, on shutdown the calls waiting for their clients' answers end with an
	 * error that says so, rather than hold the graceful shutdown until the clients
	 * answer.
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> endWaitingCallsOnShutdown(MemberInputs inputs) {
		return (event) -> inputs.endAll();
	}

}
