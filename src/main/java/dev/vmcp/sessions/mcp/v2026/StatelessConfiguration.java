package dev.vmcp.sessions.mcp.v2026;

import java.time.Clock;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.config.ServiceVersion;
import dev.vmcp.sessions.mcp.CacheHints;
import dev.vmcp.sessions.mcp.McpProperties;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.RequestStates;
import dev.vmcp.sessions.mcp.RevisionFlow;
import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.SessionService;

/**
 * Wires the 2026-07-28 flow of {@code /mcp} on top of what both revisions share.
 */
@Configuration(proxyBeanMethods = false)
class StatelessConfiguration {

	@Bean
	Subscriptions subscriptions(Members members, BackendMessenger messenger, McpSignals signals,
			OwnerBindings signatures, JsonMapper jsonMapper, McpProperties properties) {
		return new Subscriptions(members, signals, signatures, jsonMapper, properties.keepAliveInterval(),
				new ListenSessions(members, messenger, signals, jsonMapper));
	}

	/**
	 * On shutdown, before the web server drains its requests, the listen streams end with
	 * their completion result: they would never finish by themselves and would hold the
	 * graceful shutdown to its timeout. Their clients listen again on another pod.
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> endListensOnShutdown(Subscriptions subscriptions) {
		return (event) -> subscriptions.endAll();
	}

	/** First: it claims only what says it is 2026-07-28. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	RevisionFlow statelessFlow(BackendCatalog backends, MemberRevisions revisions, RequestFlow flow,
			Subscriptions subscriptions, OwnerBindings signatures, SessionService sessions, Clock clock,
			McpProperties properties, ServiceVersion version, JsonMapper jsonMapper, Members members,
			ParkedCalls parkedCalls) {
		// What a member says of itself without hints (a 2025 member's initialize result)
		// is
		// fresh as long as the pod trusts its revision, and the same for every caller.
		Discovery discovery = new Discovery(version.value(), new CacheHints(properties.memberRevisionTtl(), true),
				revisions, flow);
		RequestStates states = new RequestStates(signatures, jsonMapper, properties.requestStateTtl(),
				properties.inputWait(), clock);
		CallerSessions callerSessions = new CallerSessions(sessions, signatures, jsonMapper);
		MemberQuestions questions = new MemberQuestions(parkedCalls, states, members, jsonMapper);
		return new StatelessFlow(new StatelessMembers(backends, revisions), flow, discovery, subscriptions, states,
				new TaskIds(signatures), callerSessions, sessions, new CallerLogLevels(members, sessions), questions,
				new SessionMemberTasks(members, flow, revisions), jsonMapper);
	}

}
